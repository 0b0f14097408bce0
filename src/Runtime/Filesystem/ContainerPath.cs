using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Resolves a path as the container will see it, before the container's root is its root: symlinks are followed the
/// way the kernel follows them after <c>pivot_root</c> (an absolute target starts again at the container's root,
/// <c>..</c> never climbs above it), so a link in an image (<c>/data -&gt; /etc</c>, <c>/x -&gt; ../../..</c>) can
/// never make a mount land on the host. This is what runc's filepath-securejoin does; the image is data, not code,
/// and nothing changes it while the container is being set up.
/// </summary>
public static class ContainerPath
{
    // The kernel's own limit is 40 links per lookup; securejoin allows 255.
    private const int MaxSymlinks = 255;

    /// <summary>
    /// The host path of what <paramref name="path"/> names inside <paramref name="root"/>. Missing components are
    /// taken literally, so the result is where a mount point should be created.
    /// </summary>
    public static string Resolve(string root, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var resolved = ResolveInLayers([root], path);
        return Join(root, resolved);
    }

    /// <summary>
    /// The symlink-free container path that <paramref name="path"/> names in the overlay of
    /// <paramref name="layers"/> (top first): each component is looked up in the topmost layer that has it, and an
    /// overlay whiteout (a 0:0 character device) hides it from the layers below.
    /// </summary>
    public static string ResolveInLayers(IReadOnlyList<string> layers, string path)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(path);
        if (layers.Count == 0)
            throw new ArgumentException("At least one layer is needed.", nameof(layers));

        return SymlinkWalk.Walk(
            path,
            MaxSymlinks,
            candidate => ReadLinkInLayers(layers, candidate) is { } target ? SymlinkWalk.Step.Follow(target) : SymlinkWalk.Step.Keep,
            $"resolving \"{path}\" in the container's root");
    }

    /// <summary><paramref name="root"/> followed by the container path <paramref name="containerPath"/>.</summary>
    public static string Join(string root, string containerPath)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(containerPath);
        var relative = containerPath.TrimStart('/');
        if (relative.Length == 0)
            return root;
        return root.EndsWith('/') ? root + relative : root + "/" + relative;
    }

    /// <summary>The link's target if the topmost layer holding <paramref name="containerPath"/> holds a symlink there.</summary>
    private static string? ReadLinkInLayers(IReadOnlyList<string> layers, string containerPath)
    {
        foreach (var layer in layers)
        {
            var hostPath = Join(layer, containerPath);
            switch (Kind(hostPath))
            {
                case EntryKind.Missing:
                    continue;
                case EntryKind.Symlink:
                    return new FileInfo(hostPath).LinkTarget
                        ?? throw new IOException($"\"{hostPath}\" is a symbolic link whose target cannot be read.");
                default:
                    // A whiteout hides the name from the layers below; anything else is what the overlay shows.
                    return null;
            }
        }

        return null;
    }

    private static unsafe EntryKind Kind(string hostPath)
    {
        stat status;
        fixed (byte* pathBytes = NativeStrings.Utf8(hostPath))
        {
            if (LibC.lstat(pathBytes, &status) == -1)
                return EntryKind.Missing;
        }

        var type = (ushort)(status.st_mode & LibC.S_IFMT);
        if (type == (ushort)LibC.S_IFLNK)
            return EntryKind.Symlink;
        if (type == (ushort)LibC.S_IFCHR && (ulong)status.st_rdev == 0)
            return EntryKind.Whiteout;
        return EntryKind.Other;
    }

    private enum EntryKind
    {
        Missing,
        Symlink,
        Whiteout,
        Other,
    }
}
