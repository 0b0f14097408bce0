using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// The content-addressed image store, <c>STATE/images</c>: blobs by digest, checked on write; each layer unpacked
/// once, by its chain id (the layer and everything below it), and shared by every image and container that has it;
/// names of images pointing at manifests. Everything enters through a temporary file or directory renamed into
/// place, so a reader never sees half of anything and two processes storing the same blob both succeed.
/// <code>
/// STATE/images/blobs/sha256/HEX     manifests, configs, compressed layers
/// STATE/images/layers/CHAINHEX/     unpacked layers: overlayfs lower directories
/// STATE/images/names/HASH.json      a name and its manifest's digest
/// STATE/images/tmp/                 downloads and unpacks in progress
/// </code>
/// </summary>
public sealed class ImageStore
{
    /// <summary>A store in <c>STATE/images</c>, <paramref name="stateDirectory"/> defaulting to <see cref="RuntimePaths.StateDirectory"/>.</summary>
    public ImageStore(string? stateDirectory = null)
    {
        StateDirectory = stateDirectory ?? RuntimePaths.StateDirectory;
        if (!Path.IsPathRooted(StateDirectory))
            throw new ArgumentException($"The state directory must be an absolute path: \"{StateDirectory}\".", nameof(stateDirectory));
        Directory = Path.Combine(StateDirectory, "images");
    }

    /// <summary>The state directory whose containers' layers <see cref="Prune"/> keeps.</summary>
    public string StateDirectory { get; }

    /// <summary>The store's own directory.</summary>
    public string Directory { get; }

    internal string BlobsDirectory => Path.Combine(Directory, "blobs", "sha256");

    internal string LayersDirectory => Path.Combine(Directory, "layers");

    internal string NamesDirectory => Path.Combine(Directory, "names");

    internal string TemporaryDirectory => Path.Combine(Directory, "tmp");

    public string BlobPath(Digest digest) => Path.Combine(BlobsDirectory, digest.Hex);

    public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>Stores <paramref name="content"/>; refused (and not kept) when it does not hash to <paramref name="expected"/>.</summary>
    /// <returns>The content's digest.</returns>
    /// <exception cref="ImageFormatException">The content's digest is not <paramref name="expected"/>.</exception>
    public async Task<Digest> PutBlobAsync(Stream content, Digest? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (expected is { } known && HasBlob(known))
            return known;
        var temporary = NewTemporaryPath("blob");
        try
        {
            Digest digest;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                digest = Digest.From(hash);
            }

            if (expected is { } wanted && wanted != digest)
                throw new ImageFormatException($"A blob said to be {wanted} has the digest {digest}: corrupted or not what was asked for; it was not stored.");
            MoveIntoPlace(temporary, BlobPath(digest));
            return digest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Stores a small document (a manifest, a config) and returns its digest.</summary>
    public Task<Digest> PutBlobAsync(byte[] content, CancellationToken cancellationToken = default) =>
        PutBlobAsync(new MemoryStream(content), Digest.Of(content), cancellationToken);

    /// <summary>
    /// Moves a file downloaded in full (<see cref="NewTemporaryPath"/>) into the store after checking its digest;
    /// a mismatching file is deleted.
    /// </summary>
    /// <exception cref="ImageFormatException">The file does not hash to <paramref name="expected"/>.</exception>
    internal void CommitBlobFile(string temporary, Digest expected)
    {
        var actual = Digest.OfFile(temporary);
        if (actual != expected)
        {
            File.Delete(temporary);
            throw new ImageFormatException($"A blob said to be {expected} has the digest {actual}: corrupted or not what was asked for; it was not stored.");
        }

        MoveIntoPlace(temporary, BlobPath(expected));
    }

    /// <summary>A blob's bytes, checked again against its digest (a small document: manifests and configs).</summary>
    /// <exception cref="ImageFormatException">The blob is missing or corrupted.</exception>
    public byte[] ReadBlob(Digest digest)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
            throw new ImageFormatException($"The store has no blob {digest}.");
        var bytes = File.ReadAllBytes(path);
        if (Digest.Of(bytes) != digest)
            throw new ImageFormatException($"The stored blob {digest} is corrupted (its content has another digest); prune the store and pull or import the image again.");
        return bytes;
    }

    /// <summary>
    /// Names an image whose manifest, config and layer blobs are all in the store, unpacking the layers not yet
    /// unpacked: from then on <see cref="Find"/> returns it.
    /// </summary>
    /// <exception cref="ImageFormatException">A blob is missing or corrupted, a layer's content is not what the config says, or a layer is hostile.</exception>
    public StoredImage Commit(string name, Digest manifestDigest, string? sourceStamp = null, IProgress<ImageProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var image = Load(name, manifestDigest, progress);
        WriteRecord(new ImageRecord { Name = name, ManifestDigest = manifestDigest.ToString(), SourceStamp = sourceStamp, Stored = DateTimeOffset.UtcNow });
        return image;
    }

    /// <summary>The image stored under <paramref name="name"/>, or null; layers missing from the store are unpacked again from their blobs.</summary>
    public StoredImage? Find(string name) => FindRecord(name) is { } record ? Load(name, Digest.Parse(record.ManifestDigest), progress: null) : null;

    /// <summary>The record stored under <paramref name="name"/>, or null.</summary>
    public ImageRecord? FindRecord(string name)
    {
        var path = RecordPath(name);
        if (!File.Exists(path))
            return null;
        var record = ManifestResolver.Deserialize(File.ReadAllBytes(path), ImageJsonContext.Default.ImageRecord, path);
        return record.Name == name ? record : null;
    }

    /// <summary>
    /// Every name in the store, sorted. A name file that cannot be read, or that names no valid manifest digest, is
    /// left as it is and not listed; what is wrong with it, and the fix, goes to <paramref name="problems"/>.
    /// </summary>
    public IReadOnlyList<ImageRecord> List(ICollection<string>? problems = null)
    {
        if (!System.IO.Directory.Exists(NamesDirectory))
            return [];

        var records = new List<ImageRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(NamesDirectory, "*.json"))
        {
            try
            {
                var record = ManifestResolver.Deserialize(File.ReadAllBytes(path), ImageJsonContext.Default.ImageRecord, path);
                _ = Digest.Parse(record.ManifestDigest);
                records.Add(record);
            }
            catch (Exception e) when (e is ImageFormatException or FormatException or IOException or UnauthorizedAccessException)
            {
                problems?.Add($"The image name file {path} cannot be read ({e.Message}); it was left as it is: remove it, then pull or import its image again.");
            }
        }

        return [.. records.OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>Forgets a name; its blobs and layers stay until <see cref="Prune"/>. False when there was no such name.</summary>
    public bool Remove(string name)
    {
        var path = RecordPath(name);
        if (FindRecord(name) is null)
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Deletes the blobs and unpacked layers no name reaches and no container of the state directory uses, and
    /// temporary files older than an hour (a download cut short, kept that long to be continued). Waits for the pulls,
    /// imports and container starts using the store (<see cref="UseAsync"/>) to finish, here or in another process;
    /// never call it while holding <see cref="UseAsync"/>'s lock. An unreadable or corrupted name, manifest or
    /// config does not stop it: see <see cref="ImagePruneResult.Problems"/>.
    /// </summary>
    public ImagePruneResult Prune()
    {
        using var exclusive = ImageStoreLock.Exclusive(Directory);
        return ImageGarbageCollector.Collect(this);
    }

    /// <summary>As <see cref="Prune"/>, but null at once, having deleted nothing, when a pull, import or start is using the store.</summary>
    public ImagePruneResult? TryPrune()
    {
        using var exclusive = ImageStoreLock.TryExclusive(Directory);
        return exclusive is null ? null : ImageGarbageCollector.Collect(this);
    }

    /// <summary>
    /// Holds off <see cref="Prune"/> (in any process) until disposed, waiting for one that runs: what is stored or
    /// taken from the store meanwhile (blobs not yet named, layers a container is about to record) stays. Pulls and
    /// imports hold it themselves; hold it from <see cref="Find"/> until the containers of the image are started.
    /// </summary>
    public async Task<IDisposable> UseAsync(CancellationToken cancellationToken = default) =>
        await ImageStoreLock.SharedAsync(Directory, cancellationToken).ConfigureAwait(false);

    /// <summary>A new path in the store's temporary directory, on the store's file system (renames are atomic).</summary>
    internal string NewTemporaryPath(string kind)
    {
        System.IO.Directory.CreateDirectory(TemporaryDirectory);
        return Path.Combine(TemporaryDirectory, $"{kind}-{Guid.NewGuid():N}");
    }

    internal OciManifest ReadManifest(Digest digest) =>
        ManifestResolver.Deserialize(ReadBlob(digest), ImageJsonContext.Default.OciManifest, $"The manifest {digest}");

    internal OciImageConfig ReadConfig(Digest digest) =>
        ManifestResolver.Deserialize(ReadBlob(digest), ImageJsonContext.Default.OciImageConfig, $"The image config {digest}");

    /// <summary>The chain ids of a config's layers, bottom first: <c>chain(0) = diff(0)</c>, <c>chain(n) = sha256(chain(n-1) + " " + diff(n))</c>.</summary>
    internal static IReadOnlyList<Digest> ChainIds(OciImageConfig config)
    {
        var chains = new List<Digest>();
        foreach (var diffId in config.Rootfs.DiffIds.Select(Digest.Parse))
        {
            chains.Add(chains.Count == 0 ? diffId : Digest.Of(Encoding.ASCII.GetBytes($"{chains[^1]} {diffId}")));
        }

        return chains;
    }

    internal string LayerPath(Digest chainId) => Path.Combine(LayersDirectory, chainId.Hex);

    private StoredImage Load(string name, Digest manifestDigest, IProgress<ImageProgress>? progress)
    {
        var manifest = ReadManifest(manifestDigest);
        var configDigest = manifest.Config.ParsedDigest;
        var config = ReadConfig(configDigest);
        if (config.Os is { } os && os != "linux")
            throw new ImageFormatException($"The image {name} is for {os}, not linux.");
        var layers = manifest.Layers;
        if (layers.Count == 0)
            throw new ImageFormatException($"The image {name} has no layers: there is nothing to make its root of.");
        if (layers.Count != config.Rootfs.DiffIds.Count)
            throw new ImageFormatException($"The image {name} has {layers.Count} layers but its config lists {config.Rootfs.DiffIds.Count} diff ids.");
        foreach (var layer in layers)
        {
            if (layer.MediaType is { } type && !MediaTypes.IsLayer(type))
                throw new ImageFormatException($"The image {name} has a layer of media type \"{type}\", which is not a file system layer.");
            if (!HasBlob(layer.ParsedDigest))
                throw new ImageFormatException($"The image {name} lacks its layer {layer.Digest} in the store.");
        }

        var chains = ChainIds(config);
        var directories = new List<string>();
        for (var i = 0; i < layers.Count; i++)
        {
            directories.Insert(0, EnsureUnpacked(layers[i].ParsedDigest, Digest.Parse(config.Rootfs.DiffIds[i]), chains[i], directories, progress));
        }

        return new StoredImage(name, manifestDigest, config, directories);
    }

    /// <summary>The layer's directory, unpacked now if not yet: into a temporary directory, renamed into place once complete and verified.</summary>
    private string EnsureUnpacked(Digest blob, Digest diffId, Digest chainId, IReadOnlyList<string> lowerLayers, IProgress<ImageProgress>? progress)
    {
        var target = LayerPath(chainId);
        if (System.IO.Directory.Exists(target))
        {
            progress?.Report(new ImageProgress(ImageProgressStage.Done, blob, 0, null));
            return target;
        }

        var temporary = NewTemporaryPath("layer");
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            using (var file = File.OpenRead(BlobPath(blob)))
            {
                var total = file.Length;
                var result = LayerUnpacker.Unpack(file, temporary, lowerLayers, progress is null ? null : _ => progress.Report(new ImageProgress(ImageProgressStage.Unpack, blob, file.Position, total)));
                if (result.DiffId != diffId)
                    throw new ImageFormatException($"The layer {blob} unpacks to content with the digest {result.DiffId}, but the image's config says {diffId}: corrupted or tampered with.");
            }

            System.IO.Directory.CreateDirectory(LayersDirectory);
            try
            {
                System.IO.Directory.Move(temporary, target);
            }
            catch (IOException) when (System.IO.Directory.Exists(target))
            {
                // Another process unpacked the same layer first; its copy is as good.
            }

            progress?.Report(new ImageProgress(ImageProgressStage.Done, blob, new FileInfo(BlobPath(blob)).Length, null));
            return target;
        }
        finally
        {
            if (System.IO.Directory.Exists(temporary))
                System.IO.Directory.Delete(temporary, recursive: true);
        }
    }

    private string RecordPath(string name) => Path.Combine(NamesDirectory, Digest.Of(Encoding.UTF8.GetBytes(name)).Hex + ".json");

    private void WriteRecord(ImageRecord record)
    {
        System.IO.Directory.CreateDirectory(NamesDirectory);
        var temporary = NewTemporaryPath("name");
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record, ImageJsonContext.Default.ImageRecord));
        File.Move(temporary, RecordPath(record.Name), overwrite: true);
    }

    private void MoveIntoPlace(string temporary, string target)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temporary, target, overwrite: true);
    }
}
