namespace Berth.Runtime.Images;

/// <summary>
/// Mark and sweep over the store: every name marks its manifest, config and layer blobs and its unpacked layers;
/// every container of the state directory marks the layers its root is made of (the runtime records them in
/// <c>STATE/containers/ID/layers</c>), so a running container never loses a lower directory, even when its
/// image's name was removed or now points at another image.
/// </summary>
internal static class ImageGarbageCollector
{
    private static readonly TimeSpan s_temporaryAge = TimeSpan.FromHours(1);

    /// <summary>
    /// Sweeps what nothing marks. The caller holds the store's exclusive lock. One unreadable name, manifest or
    /// config does not stop it: it is reported and the rest goes on; a manifest or config whose content no longer
    /// has its digest is deleted (it would stop a new pull from fetching it again: the store would say it has it);
    /// an unreadable container record keeps every layer this time, as any of them may be that container's.
    /// </summary>
    public static ImagePruneResult Collect(ImageStore store)
    {
        var problems = new List<string>();
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var corrupted = new HashSet<string>(StringComparer.Ordinal);
        var layers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, manifestDigest) in Names(store, problems))
        {
            blobs.Add(manifestDigest.Hex);
            if (Read(store, manifestDigest, name, "manifest", problems, corrupted, store.ReadManifest) is not { } manifest)
                continue;
            blobs.Add(manifest.Config.ParsedDigest.Hex);
            blobs.UnionWith(manifest.Layers.Select(l => l.ParsedDigest.Hex));
            if (Read(store, manifest.Config.ParsedDigest, name, "config", problems, corrupted, store.ReadConfig) is { } config)
                layers.UnionWith(ImageStore.ChainIds(config).Select(c => store.LayerPath(c)));
        }

        blobs.ExceptWith(corrupted);
        var keepAllLayers = !LayersInUse(store.StateDirectory, layers, problems);

        var removedBlobs = 0;
        long freed = 0;
        foreach (var blob in Entries(store.BlobsDirectory, files: true).Where(b => !blobs.Contains(Path.GetFileName(b))))
        {
            var size = new FileInfo(blob).Length;
            if (Delete(blob, problems))
            {
                freed += size;
                removedBlobs++;
            }
        }

        var removedLayers = 0;
        foreach (var layer in keepAllLayers ? [] : Entries(store.LayersDirectory, files: false).Where(l => !layers.Contains(l)))
        {
            var size = DirectorySize(layer);
            if (Delete(layer, problems))
            {
                freed += size;
                removedLayers++;
            }
        }

        var cutoff = DateTime.UtcNow - s_temporaryAge;
        foreach (var temporary in Entries(store.TemporaryDirectory, files: null).Where(t => File.GetLastWriteTimeUtc(t) < cutoff))
        {
            Delete(temporary, problems);
        }

        return new ImagePruneResult(removedBlobs, removedLayers, freed) { Problems = problems };
    }

    /// <summary>Every name's manifest digest; a name file that cannot be read is reported and skipped (and left as it is).</summary>
    private static IEnumerable<(string Name, Digest Manifest)> Names(ImageStore store, List<string> problems) =>
        store.List(problems).Select(record => (record.Name, Digest.Parse(record.ManifestDigest)));

    /// <summary>
    /// A manifest or config of <paramref name="name"/>, or null: missing (nothing to mark below it), unreadable
    /// (reported, kept), or corrupted (reported, added to <paramref name="corrupted"/>).
    /// </summary>
    private static T? Read<T>(ImageStore store, Digest digest, string name, string what, List<string> problems, HashSet<string> corrupted, Func<Digest, T> read)
        where T : class
    {
        if (!store.HasBlob(digest))
            return null;
        try
        {
            return read(digest);
        }
        catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
        {
            var isCorrupted = e is ImageFormatException && IsCorrupted(store, digest);
            if (isCorrupted)
                corrupted.Add(digest.Hex);
            problems.Add(isCorrupted
                ? $"The {what} {digest} of {name} is corrupted (its content has another digest); it was deleted: pull or import {name} again."
                : $"The {what} {digest} of {name} cannot be read ({e.Message}); it was kept, and what only it reaches was not: remove {name} (image rm), then pull or import it again.");
            return null;
        }
    }

    private static bool IsCorrupted(ImageStore store, Digest digest)
    {
        try
        {
            return Digest.OfFile(store.BlobPath(digest)) != digest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds the layer directories the containers of <paramref name="stateDirectory"/> are made of to
    /// <paramref name="layers"/>; false when a container's record cannot be read, so that no layer may be swept.
    /// </summary>
    private static bool LayersInUse(string stateDirectory, HashSet<string> layers, List<string> problems)
    {
        var containers = Path.Combine(stateDirectory, "containers");
        var complete = true;
        foreach (var container in Entries(containers, files: false))
        {
            var record = Path.Combine(container, Filesystem.ContainerDirectory.LayersFileName);
            try
            {
                layers.UnionWith(File.ReadAllLines(record).Where(l => l.Length > 0));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not a container of an image, or removed while listed.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"The container record {record} cannot be read ({e.Message}); no layer was deleted, since it may use any of them.");
                complete = false;
            }
        }

        return complete;
    }

    /// <summary>Deletes a file or directory; a failure is reported, not thrown, so the sweep goes on.</summary>
    private static bool Delete(string path, List<string> problems)
    {
        try
        {
            if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path} cannot be deleted ({e.Message}); it was left.");
            return false;
        }
    }

    private static IEnumerable<string> Entries(string directory, bool? files)
    {
        if (!Directory.Exists(directory))
            return [];
        return files switch
        {
            true => Directory.EnumerateFiles(directory).ToList(),
            false => Directory.EnumerateDirectories(directory).ToList(),
            null => Directory.EnumerateFileSystemEntries(directory).ToList(),
        };
    }

    private static long DirectorySize(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => f.Length);
}

/// <summary>What <see cref="ImageStore.Prune"/> deleted, and what it found that it could not read or delete.</summary>
public sealed record ImagePruneResult(int Blobs, int Layers, long BytesFreed)
{
    /// <summary>One sentence each, naming the file and what to do: an unreadable name, a corrupted manifest or config, a file that cannot be deleted.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
