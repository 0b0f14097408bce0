namespace Berth.Runtime.Filesystem;

/// <summary>
/// A root made of host directories (an unpacked image, a busybox tree) through overlayfs: the layers are never
/// written; a writable root gets its own upper layer under the container's directory, discarded on removal; a
/// read-only root has none.
/// </summary>
/// <param name="Layers">Host directories, the top layer first (overlayfs's <c>lowerdir</c> order).</param>
public sealed record DirectoryRootFilesystem(IReadOnlyList<string> Layers) : RootFilesystem
{
    /// <summary>A root of one directory.</summary>
    public static DirectoryRootFilesystem Of(string directory) => new([directory]);

    /// <inheritdoc/>
    public override void Validate()
    {
        if (Layers is null || Layers.Count == 0)
            throw new ArgumentException("A directory root filesystem needs at least one layer.");
        foreach (var layer in Layers)
            RequireDirectory(layer, "A root filesystem layer");
    }
}
