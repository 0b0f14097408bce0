namespace Berth.Runtime.Filesystem;

/// <summary>
/// The container's <c>/dev</c>: a small tmpfs holding only the devices a program may expect, never the host's
/// disks or consoles.
/// </summary>
public static class DevFilesystem
{
    /// <summary>The device nodes the container gets, bound from the host's.</summary>
    public static IReadOnlyList<string> Devices { get; } = ["null", "zero", "full", "random", "urandom", "tty"];

    /// <summary>The symlinks every Linux program may assume (runc's defaults), and <c>ptmx</c> into the container's own devpts.</summary>
    public static IReadOnlyList<(string Name, string Target)> Links { get; } =
    [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("ptmx", "pts/ptmx"),
    ];

    /// <summary>
    /// Mounts a tmpfs at <paramref name="dev"/> (a host path, before <c>pivot_root</c>) and fills it: each device
    /// is an empty file with the host's node bound onto it (a bind mount keeps the node's device number), which is
    /// what runc does in a user namespace where <c>mknod</c> is refused, and works the same as root; then
    /// <c>/dev/pts</c> (a devpts of its own), <c>/dev/shm</c> (tmpfs) and <c>/dev/mqueue</c>.
    /// </summary>
    public static void Mount(string dev)
    {
        ArgumentException.ThrowIfNullOrEmpty(dev);

        // runc: "mode=755,size=65536k", nosuid, strictatime. Not nodev: the bound nodes must open.
        Mounts.MountTmpfs(dev, sizeBytes: 64L << 20, mode: 0x1ED, flags: MountFlags.NoSuid | MountFlags.StrictAccessTime);

        foreach (var device in Devices)
        {
            var node = Path.Combine(dev, device);
            File.WriteAllBytes(node, []);
            RootfsEntries.SetMode(node, 0x1B6); // 0666, like the nodes themselves
            Mounts.Bind("/dev/" + device, node);
        }

        foreach (var (name, target) in Links)
            File.CreateSymbolicLink(Path.Combine(dev, name), target);

        var pts = Path.Combine(dev, "pts");
        RootfsEntries.CreateDirectory(pts);
        Mounts.MountDevpts(pts);

        var shm = Path.Combine(dev, "shm");
        RootfsEntries.CreateDirectory(shm);
        Mounts.MountTmpfs(shm, sizeBytes: 64L << 20, mode: 0x3FF, flags: MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);

        var mqueue = Path.Combine(dev, "mqueue");
        RootfsEntries.CreateDirectory(mqueue);
        Mounts.MountMqueue(mqueue);
    }
}
