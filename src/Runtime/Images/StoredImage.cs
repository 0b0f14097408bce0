using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Images;

/// <summary>An image ready to run: its config and its unpacked layers in the store.</summary>
/// <param name="Name">The name it was stored under.</param>
/// <param name="ManifestDigest">The digest of its manifest: what it is, whatever its name.</param>
/// <param name="Config">How to run it.</param>
/// <param name="LayerDirectories">The unpacked layers, top first (overlayfs's order), shared with every image that has them.</param>
public sealed record StoredImage(string Name, Digest ManifestDigest, OciImageConfig Config, IReadOnlyList<string> LayerDirectories)
{
    /// <summary>A container root made of the image's layers (and the container's own writable layer).</summary>
    public DirectoryRootFilesystem Root => new(LayerDirectories);

    /// <summary>The run settings, empty where the image has none.</summary>
    public OciRunConfig RunConfig => Config.Config ?? new OciRunConfig();
}
