using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// Imports an image from an archive: an OCI layout in a tar (<c>skopeo copy … oci-archive:FILE</c>, and what
/// <c>docker save</c> writes since Docker 25) or a <c>docker save</c> archive (<c>manifest.json</c> naming a config
/// and layer files), gzip-compressed or not. One pass over the archive: every file goes into the store as a blob
/// (those named <c>blobs/sha256/HEX</c> checked against their name), then the index or <c>manifest.json</c> says
/// which make the image. Blobs the image does not use are left for <see cref="ImageStore.Prune"/>.
/// </summary>
public static class ImageArchiveImporter
{
    private const long MaxDocumentBytes = 4 << 20;

    /// <exception cref="ImageFormatException">Not an image archive, or a blob corrupted.</exception>
    public static async Task<StoredImage> ImportAsync(
        ImageStore store, string archivePath, string name, string? sourceStamp = null, IProgress<ImageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var what = $"The image archive {archivePath}";
        using var use = await store.UseAsync(cancellationToken).ConfigureAwait(false);   // its blobs are named only at the end: no prune before
        var files = new Dictionary<string, Digest>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var documents = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        await using (var file = File.OpenRead(archivePath))
        {
            var stream = LayerCompression.Open(file);
            if (stream is BufferedStream && file.Length < 512)
                throw new ImageFormatException($"{what} is too short to be a tar archive.");
            try
            {
                await using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var entryName = Normalize(entry.Name);
                    if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    {
                        // docker save links a layer it already wrote (same content) instead of writing it twice.
                        links[entryName] = entry.EntryType == TarEntryType.HardLink ? Normalize(entry.LinkName) : Normalize(Path.Combine(Path.GetDirectoryName(entryName) ?? "", entry.LinkName));
                        continue;
                    }

                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                        continue;
                    if (entryName is "index.json" or "manifest.json" or "oci-layout")
                    {
                        if (entry.Length > MaxDocumentBytes)
                            throw new ImageFormatException($"{what}: {entryName} is {entry.Length} bytes, too large for an index.");
                        using var buffer = new MemoryStream();
                        await entry.DataStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                        documents[entryName] = buffer.ToArray();
                        continue;
                    }

                    Digest? expected = entryName.StartsWith("blobs/sha256/", StringComparison.Ordinal)
                        ? Digest.Parse("sha256:" + entryName["blobs/sha256/".Length..])
                        : null;
                    files[entryName] = await store.PutBlobAsync(entry.DataStream, expected, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new ImageFormatException($"{what} is not a valid tar archive: {e.Message}", e);
            }
        }

        Digest? Lookup(string entryName)
        {
            for (var hops = 0; hops < 8 && links.TryGetValue(entryName, out var target); hops++)
                entryName = target;
            return files.TryGetValue(entryName, out var digest) ? digest : null;
        }

        Digest manifestDigest;
        if (documents.TryGetValue("index.json", out var indexBytes))
        {
            var index = ManifestResolver.Deserialize(indexBytes, ImageJsonContext.Default.OciIndex, $"{what}: index.json");
            var top = OciLayoutImporter.PickTagged(index.Manifests, tag: null, what);
            var descriptor = await ManifestResolver.ResolveAsync(
                top, OciPlatform.Current, (d, _) => Task.FromResult(store.ReadBlob(d.ParsedDigest)), what, cancellationToken).ConfigureAwait(false);
            manifestDigest = descriptor.ParsedDigest;
        }
        else if (documents.TryGetValue("manifest.json", out var dockerBytes))
        {
            manifestDigest = await StoreDockerManifestAsync(store, dockerBytes, Lookup, what, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new ImageFormatException($"{what} is neither an OCI archive (index.json) nor a docker save archive (manifest.json).");
        }

        return store.Commit(name, manifestDigest, sourceStamp, progress);
    }

    /// <summary>A docker save archive names files, not digests: an OCI-shaped manifest is made of what they hash to.</summary>
    private static async Task<Digest> StoreDockerManifestAsync(ImageStore store, byte[] bytes, Func<string, Digest?> lookup, string what, CancellationToken cancellationToken)
    {
        var images = ManifestResolver.Deserialize(bytes, ImageJsonContext.Default.ListDockerArchiveManifestEntry, $"{what}: manifest.json");
        if (images.Count != 1)
            throw new ImageFormatException($"{what} holds {images.Count} images; save one image per archive.");
        var image = images[0];

        OciDescriptor Describe(string file, string mediaType)
        {
            var digest = lookup(Normalize(file)) ?? throw new ImageFormatException($"{what}: manifest.json names {file}, which the archive does not hold.");
            return new OciDescriptor { MediaType = mediaType, Digest = digest.ToString(), Size = new FileInfo(store.BlobPath(digest)).Length };
        }

        var manifest = new OciManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = Describe(image.Config, MediaTypes.DockerConfig),
            Layers = [.. image.Layers.Select(layer => Describe(layer, MediaTypes.DockerLayer))],
        };
        return await store.PutBlobAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJsonContext.Default.OciManifest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An archive member's name without <c>./</c>, empty components or <c>..</c> (names only: nothing is written by name).</summary>
    private static string Normalize(string name) => string.Join('/', LexicalPath.Components(name));
}
