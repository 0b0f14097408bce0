using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// From a descriptor that may name an index (a multi-platform image, or an index inside an OCI layout) down to the
/// image manifest for a platform: <c>linux/amd64</c> or <c>linux/arm64</c>, this machine's by default.
/// </summary>
internal static class ManifestResolver
{
    private const int MaxDepth = 4;

    /// <summary>The manifest's descriptor; <paramref name="read"/> gives a blob's bytes, verified against its digest.</summary>
    /// <exception cref="ImageFormatException">No manifest for the platform, or nested indexes too deep.</exception>
    public static async Task<OciDescriptor> ResolveAsync(
        OciDescriptor descriptor, OciPlatform platform, Func<OciDescriptor, CancellationToken, Task<byte[]>> read, string what, CancellationToken cancellationToken)
    {
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var mediaType = descriptor.MediaType;
            if (MediaTypes.IsManifest(mediaType))
                return descriptor;
            var bytes = await read(descriptor, cancellationToken).ConfigureAwait(false);
            if (mediaType is null)
            {
                var probe = Deserialize(bytes, ImageJsonContext.Default.ManifestProbe, what);
                mediaType = probe.MediaType ?? (probe.Manifests is not null ? MediaTypes.OciIndex : probe.Layers is not null ? MediaTypes.OciManifest : null);
                if (MediaTypes.IsManifest(mediaType))
                    return descriptor with { MediaType = mediaType };
            }

            if (!MediaTypes.IsIndex(mediaType))
                throw new ImageFormatException($"{what}: {descriptor.Digest} is neither an image manifest nor an index (media type \"{mediaType}\").");
            var index = Deserialize(bytes, ImageJsonContext.Default.OciIndex, what);
            descriptor = index.Manifests.FirstOrDefault(m => platform.Matches(m.Platform))
                ?? throw new ImageFormatException(
                    $"{what} has no image for {platform}; it has {(index.Manifests.Count == 0 ? "none" : string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? "an unnamed platform")))}.");
        }

        throw new ImageFormatException($"{what}: indexes nested more than {MaxDepth} deep.");
    }

    public static T Deserialize<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new ImageFormatException($"{what}: a {typeof(T).Name} is JSON null.");
        }
        catch (JsonException e)
        {
            throw new ImageFormatException($"{what}: not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
