namespace Berth.Runtime.Images;

/// <summary>
/// The image an exported image is built over: its layers (copied into the export as they are, with their digests)
/// and its config (whose settings the export's own override, see <see cref="OciImageWriter"/>).
/// </summary>
/// <param name="Name">What it is called, for messages.</param>
/// <param name="Layers">Its layers, bottom first, each with the file holding its blob.</param>
/// <param name="Config">Its config.</param>
public sealed record ImageBase(string Name, IReadOnlyList<(OciDescriptor Descriptor, string BlobPath)> Layers, OciImageConfig Config)
{
    /// <summary>An image of the store (imported or pulled first) as a base.</summary>
    public static ImageBase FromStore(ImageStore store, StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        var manifest = store.ReadManifest(image.ManifestDigest);
        return new ImageBase(image.Name, [.. manifest.Layers.Select(l => (l, store.BlobPath(l.ParsedDigest)))], image.Config);
    }
}
