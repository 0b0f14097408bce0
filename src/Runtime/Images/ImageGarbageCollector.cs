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

    public static ImagePruneResult Collect(ImageStore store)
    {
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var layers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in store.List())
        {
            var manifestDigest = Digest.Parse(record.ManifestDigest);
            blobs.Add(manifestDigest.Hex);
            if (!store.HasBlob(manifestDigest))
                continue;
            var manifest = store.ReadManifest(manifestDigest);
            blobs.Add(manifest.Config.ParsedDigest.Hex);
            blobs.UnionWith(manifest.Layers.Select(l => l.ParsedDigest.Hex));
            if (store.HasBlob(manifest.Config.ParsedDigest))
                layers.UnionWith(ImageStore.ChainIds(store.ReadConfig(manifest.Config.ParsedDigest)).Select(c => store.LayerPath(c)));
        }

        layers.UnionWith(LayersInUse(store.StateDirectory));

        var removedBlobs = 0;
        long freed = 0;
        foreach (var blob in Entries(store.BlobsDirectory, files: true).Where(b => !blobs.Contains(Path.GetFileName(b))))
        {
            freed += new FileInfo(blob).Length;
            File.Delete(blob);
            removedBlobs++;
        }

        var removedLayers = 0;
        foreach (var layer in Entries(store.LayersDirectory, files: false).Where(l => !layers.Contains(l)))
        {
            freed += DirectorySize(layer);
            Directory.Delete(layer, recursive: true);
            removedLayers++;
        }

        var cutoff = DateTime.UtcNow - s_temporaryAge;
        foreach (var temporary in Entries(store.TemporaryDirectory, files: null).Where(t => File.GetLastWriteTimeUtc(t) < cutoff))
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
            else
                File.Delete(temporary);
        }

        return new ImagePruneResult(removedBlobs, removedLayers, freed);
    }

    /// <summary>The layer directories the containers of <paramref name="stateDirectory"/> are made of.</summary>
    private static IEnumerable<string> LayersInUse(string stateDirectory)
    {
        var containers = Path.Combine(stateDirectory, "containers");
        if (!Directory.Exists(containers))
            yield break;
        foreach (var container in Directory.EnumerateDirectories(containers))
        {
            var record = Path.Combine(container, Filesystem.ContainerDirectory.LayersFileName);
            if (!File.Exists(record))
                continue;
            foreach (var line in File.ReadAllLines(record).Where(l => l.Length > 0))
                yield return line;
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

/// <summary>What <see cref="ImageStore.Prune"/> deleted.</summary>
public sealed record ImagePruneResult(int Blobs, int Layers, long BytesFreed);
