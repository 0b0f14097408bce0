using System.Formats.Tar;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// Writes an image as an OCI image layout (<c>oci-layout</c>, <c>index.json</c> naming it by
/// <c>org.opencontainers.image.ref.name</c>, <c>blobs/sha256/…</c>) or as an OCI archive (that layout in a tar, what
/// <c>skopeo copy … oci-archive:FILE</c> reads): a base's layers, then the new layers, and a config whose run
/// settings are the base's overridden by the given ones. Everything is deterministic: the same input gives the same
/// bytes, so the same digests.
/// </summary>
public static class OciImageWriter
{
    /// <summary>The time every exported image says it was created: none in particular, so that it does not change the digest.</summary>
    public const string Created = "1970-01-01T00:00:00Z";

    /// <summary>
    /// Writes the image into the layout at <paramref name="layoutDirectory"/> (made if missing; an existing layout
    /// keeps its other images, and an image of the same tag is replaced).
    /// </summary>
    /// <returns>The manifest's descriptor.</returns>
    /// <exception cref="ImageFormatException">The directory exists and is neither empty nor an OCI layout.</exception>
    public static async Task<OciDescriptor> WriteLayoutAsync(
        string layoutDirectory, string tag, ImageBase? imageBase, IReadOnlyList<ImageLayerBuilder> layers, OciRunConfig runConfig, CancellationToken cancellationToken = default) =>
        (await WriteLayoutAsync(layoutDirectory, tag, imageBase, layers, runConfig, copyBaseLayers: true, cancellationToken).ConfigureAwait(false)).Manifest;

    /// <param name="copyBaseLayers">
    /// False for an archive: the base's layer blobs are not copied into the layout but returned, by digest, with the
    /// files that hold them, to be written into the tar straight from there (once each, however often they occur).
    /// </param>
    private static async Task<(OciDescriptor Manifest, SortedDictionary<string, string> BaseBlobs)> WriteLayoutAsync(
        string layoutDirectory, string tag, ImageBase? imageBase, IReadOnlyList<ImageLayerBuilder> layers, OciRunConfig runConfig, bool copyBaseLayers, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(layoutDirectory);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(runConfig);
        var layoutFile = Path.Combine(layoutDirectory, "oci-layout");
        var indexFile = Path.Combine(layoutDirectory, "index.json");
        if (Directory.Exists(layoutDirectory) && !File.Exists(layoutFile) && Directory.EnumerateFileSystemEntries(layoutDirectory).Any())
            throw new ImageFormatException($"{layoutDirectory} is neither empty nor an OCI image layout (it has no oci-layout file); choose another output.");
        var blobs = Path.Combine(layoutDirectory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        var layerDescriptors = new List<OciDescriptor>();
        var diffIds = new List<string>();
        var baseBlobs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (descriptor, blobPath) in imageBase?.Layers ?? [])
        {
            var target = Path.Combine(blobs, descriptor.ParsedDigest.Hex);
            if (!copyBaseLayers)
                baseBlobs.TryAdd(descriptor.ParsedDigest.Hex, blobPath);
            else if (!File.Exists(target))
                File.Copy(blobPath, target);
            layerDescriptors.Add(descriptor);
        }

        diffIds.AddRange(imageBase?.Config.Rootfs.DiffIds ?? []);
        foreach (var layer in layers)
        {
            var (descriptor, diffId) = await layer.WriteAsync(blobs, cancellationToken).ConfigureAwait(false);
            layerDescriptors.Add(descriptor);
            diffIds.Add(diffId.ToString());
        }

        var platform = OciPlatform.Current;
        var config = new OciImageConfig
        {
            Architecture = imageBase?.Config.Architecture ?? platform.Architecture,
            Os = imageBase?.Config.Os ?? platform.Os,
            Created = Created,
            Config = Merge(imageBase?.Config.Config, runConfig),
            Rootfs = new OciRootfs { DiffIds = diffIds },
        };
        var configDescriptor = WriteBlob(blobs, JsonSerializer.SerializeToUtf8Bytes(config, ImageJsonContext.Default.OciImageConfig), MediaTypes.OciConfig);
        var manifest = new OciManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = layerDescriptors };
        var manifestDescriptor = WriteBlob(blobs, JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJsonContext.Default.OciManifest), MediaTypes.OciManifest) with
        {
            Annotations = new Dictionary<string, string> { [OciDescriptor.RefNameAnnotation] = tag },
        };

        var others = File.Exists(indexFile)
            ? ManifestResolver.Deserialize(await File.ReadAllBytesAsync(indexFile, cancellationToken).ConfigureAwait(false), ImageJsonContext.Default.OciIndex, indexFile).Manifests
                .Where(m => m.Annotations?.GetValueOrDefault(OciDescriptor.RefNameAnnotation) != tag)
            : [];
        var index = new OciIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [.. others.Append(manifestDescriptor).OrderBy(m => m.Annotations?.GetValueOrDefault(OciDescriptor.RefNameAnnotation), StringComparer.Ordinal)],
        };
        await File.WriteAllBytesAsync(layoutFile, JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile("1.0.0"), ImageJsonContext.Default.OciLayoutFile), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(indexFile, JsonSerializer.SerializeToUtf8Bytes(index, ImageJsonContext.Default.OciIndex), cancellationToken).ConfigureAwait(false);
        return (manifestDescriptor, baseBlobs);
    }

    /// <summary>
    /// Writes the image as an OCI archive at <paramref name="archivePath"/> (replaced if it exists): a layout built
    /// beside it (without the base's layers, which go into the tar from where they are), then put into a plain tar,
    /// sorted, with fixed times and owners, each blob once.
    /// </summary>
    /// <returns>The manifest's descriptor.</returns>
    public static async Task<OciDescriptor> WriteArchiveAsync(
        string archivePath, string tag, ImageBase? imageBase, IReadOnlyList<ImageLayerBuilder> layers, OciRunConfig runConfig, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        var full = Path.GetFullPath(archivePath);
        var layout = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.layout-{Guid.NewGuid():N}");
        var temporary = layout + ".tar";
        try
        {
            var (descriptor, baseBlobs) = await WriteLayoutAsync(layout, tag, imageBase, layers, runConfig, copyBaseLayers: false, cancellationToken).ConfigureAwait(false);
            var blobs = new SortedDictionary<string, string>(baseBlobs, StringComparer.Ordinal);
            foreach (var written in Directory.EnumerateFiles(Path.Combine(layout, "blobs", "sha256")))
                blobs[Path.GetFileName(written)] = written;   // a new layer the base also has: the same bytes, by its digest
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var writer = new TarWriter(file, TarEntryFormat.Gnu, leaveOpen: true))
            {
                await WriteArchiveEntryAsync(writer, "oci-layout", Path.Combine(layout, "oci-layout"), cancellationToken).ConfigureAwait(false);
                await WriteArchiveEntryAsync(writer, "index.json", Path.Combine(layout, "index.json"), cancellationToken).ConfigureAwait(false);
                await WriteArchiveEntryAsync(writer, "blobs/", source: null, cancellationToken).ConfigureAwait(false);
                await WriteArchiveEntryAsync(writer, "blobs/sha256/", source: null, cancellationToken).ConfigureAwait(false);
                foreach (var (hex, source) in blobs)
                {
                    await WriteArchiveEntryAsync(writer, "blobs/sha256/" + hex, source, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temporary, full, overwrite: true);
            return descriptor;
        }
        finally
        {
            File.Delete(temporary);
            if (Directory.Exists(layout))
                Directory.Delete(layout, recursive: true);
        }
    }

    /// <summary>The base's run settings with the image's own over them: each set one replaces the base's, Env by variable name.</summary>
    internal static OciRunConfig Merge(OciRunConfig? below, OciRunConfig above)
    {
        if (below is null)
            return above;
        var environment = new List<string>(below.Env ?? []);
        foreach (var variable in above.Env ?? [])
        {
            var name = variable.Split('=', 2)[0];
            environment.RemoveAll(v => v.Split('=', 2)[0] == name);
            environment.Add(variable);
        }

        Dictionary<string, EmptyObject>? ports = below.ExposedPorts is null && above.ExposedPorts is null
            ? null
            : new Dictionary<string, EmptyObject>((below.ExposedPorts ?? []).Concat(above.ExposedPorts ?? []).DistinctBy(p => p.Key).OrderBy(p => p.Key, StringComparer.Ordinal));
        return new OciRunConfig
        {
            User = above.User ?? below.User,
            ExposedPorts = ports,
            Env = environment,

            // As in a Dockerfile: a new entry point drops the base's command.
            Entrypoint = above.Entrypoint ?? below.Entrypoint,
            Cmd = above.Entrypoint is not null ? above.Cmd : above.Cmd ?? below.Cmd,
            WorkingDir = above.WorkingDir ?? below.WorkingDir,
            Labels = above.Labels ?? below.Labels,
            StopSignal = above.StopSignal ?? below.StopSignal,
        };
    }

    private static OciDescriptor WriteBlob(string blobs, byte[] content, string mediaType)
    {
        var digest = Digest.Of(content);
        File.WriteAllBytes(Path.Combine(blobs, digest.Hex), content);
        return new OciDescriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length };
    }

    /// <summary>A tar entry: a directory (<paramref name="source"/> null) or the file <paramref name="source"/>'s content.</summary>
    private static async Task WriteArchiveEntryAsync(TarWriter writer, string name, string? source, CancellationToken cancellationToken)
    {
        var directory = source is null;
        var entry = new GnuTarEntry(directory ? TarEntryType.Directory : TarEntryType.RegularFile, name)
        {
            Mode = directory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
            ModificationTime = DateTimeOffset.UnixEpoch,
            AccessTime = DateTimeOffset.UnixEpoch,
            ChangeTime = DateTimeOffset.UnixEpoch,
        };
        if (directory)
        {
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var data = File.OpenRead(source!);
        entry.DataStream = data;
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
