using System.Globalization;
using System.Text;
using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// <c>mount(2)</c> and <c>umount2(2)</c> for the kinds of mounts a container needs, each failing with a
/// <see cref="MountException"/> that names its arguments. Mount and unmount change the calling thread's mount
/// namespace: call these in the container's init, or on a thread that did <c>unshare(CLONE_NEWNS)</c>, never in the
/// host's namespace by accident.
/// </summary>
public static class Mounts
{
    // statvfs(3) f_flag bits (bits/statvfs.h) for the per-mount flags a bind remount must carry over.
    private const ulong StNoSuid = 2;
    private const ulong StNoDev = 4;
    private const ulong StNoExec = 8;
    private const ulong StNoAccessTime = 1024;
    private const ulong StNoDirectoryAccessTime = 2048;
    private const ulong StRelativeAccessTime = 4096;

    /// <summary>The raw call.</summary>
    public static unsafe void Mount(string? source, string target, string? fileSystemType, MountFlags flags, string? data = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        fixed (byte* sourceBytes = NativeStrings.Utf8(source), targetBytes = NativeStrings.Utf8(target),
               typeBytes = NativeStrings.Utf8(fileSystemType), dataBytes = NativeStrings.Utf8(data))
        {
            if (LibC.mount(sourceBytes, targetBytes, typeBytes, (ulong_t)(ulong)flags, dataBytes) == -1)
                throw MountException.ForMount(source, target, fileSystemType, flags, data, LibC.errno);
        }
    }

    /// <summary>
    /// <c>MS_REC|MS_PRIVATE</c> on <paramref name="target"/> (by default the whole tree): from here on no mount or
    /// unmount in this namespace reaches the host, and none of the host's reaches here. Do this first: a new mount
    /// namespace starts as a copy whose mounts still share propagation with the host's (mount_namespaces(7)), and
    /// <c>pivot_root</c> refuses a shared parent.
    /// </summary>
    public static void MakePrivate(string target = "/") =>
        Mount(null, target, null, MountFlags.Recursive | MountFlags.Private);

    /// <summary>Bind-mounts <paramref name="source"/> (a directory or a file) onto <paramref name="target"/>.</summary>
    /// <param name="recursive">Bring the mounts below <paramref name="source"/> along (<c>MS_REC</c>, <c>--rbind</c>).</param>
    public static void Bind(string source, string target, bool recursive = false) =>
        Mount(source, target, null, MountFlags.Bind | (recursive ? MountFlags.Recursive : MountFlags.None));

    /// <summary>
    /// Bind-mounts, then makes the new mount (and with <paramref name="recursive"/> every mount below it) read-only,
    /// adding <paramref name="extraFlags"/> (e.g. <c>MS_NOSUID|MS_NODEV</c>).
    /// </summary>
    public static void BindReadOnly(string source, string target, bool recursive = false, MountFlags extraFlags = MountFlags.None)
    {
        Bind(source, target, recursive);
        if (recursive)
            RemountTreeReadOnly(target, extraFlags);
        else
            RemountReadOnly(target, extraFlags);
    }

    /// <summary>
    /// Makes the mount at <paramref name="target"/> read-only. A bind mount takes its flags from the source mount and
    /// ignores <c>MS_RDONLY</c> on the bind itself, so this is a second call, <c>MS_REMOUNT|MS_BIND|MS_RDONLY</c>,
    /// which changes this mount only, not the filesystem (mount(2), "Creating a bind mount"). The call replaces all
    /// per-mount flags, so the ones already set (nosuid, nodev, noexec, the atime mode, read from statvfs) are passed
    /// again: in a user namespace the kernel refuses with EPERM to clear them when they were locked by the parent
    /// (runc's remount does the same).
    /// </summary>
    public static void RemountReadOnly(string target, MountFlags extraFlags = MountFlags.None)
    {
        var flags = MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | CurrentFlags(target) | extraFlags;
        Mount(null, target, null, flags);
    }

    /// <summary>
    /// <see cref="RemountReadOnly"/> on <paramref name="target"/> and on every mount below it, as
    /// <c>/proc/self/mountinfo</c> lists them: a bind remount only ever changes one mount.
    /// </summary>
    public static void RemountTreeReadOnly(string target, MountFlags extraFlags = MountFlags.None)
    {
        RemountReadOnly(target, extraFlags);

        // mountinfo lists real paths: a target reached through a symlink would match nothing.
        foreach (var below in MountTable.MountPointsBelow(HostPath.Resolve(target)))
            RemountReadOnly(below, extraFlags);
    }

    /// <summary>A tmpfs (memory, never disk) with an optional size cap and root directory mode.</summary>
    /// <param name="sizeBytes">The cap; null for the kernel's default of half the RAM.</param>
    /// <param name="mode">The mode of its root directory, e.g. octal 1777; null for the default 1777.</param>
    public static void MountTmpfs(string target, long? sizeBytes = null, int? mode = null, MountFlags flags = MountFlags.None, string? extraOptions = null)
    {
        var options = new List<string>();
        if (mode is { } m)
            options.Add("mode=" + Convert.ToString(m, 8));
        if (sizeBytes is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(sizeBytes));
            options.Add("size=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(extraOptions))
            options.Add(extraOptions);
        Mount("tmpfs", target, "tmpfs", flags, options.Count > 0 ? string.Join(',', options) : null);
    }

    /// <summary>
    /// A new procfs instance. It shows the PID namespace of the calling process, so it is only right in a process
    /// that lives in the container's PID namespace (the init).
    /// </summary>
    public static void MountProc(string target) =>
        Mount("proc", target, "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);

    /// <summary>
    /// A read-only sysfs. Its network entries show the network namespace of the mounting process, and the kernel
    /// refuses it (EPERM) in a user namespace that does not own that network namespace.
    /// </summary>
    public static void MountSysfs(string target) =>
        Mount("sysfs", target, "sysfs", MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);

    /// <summary>A POSIX message queue filesystem for the calling process's IPC namespace.</summary>
    public static void MountMqueue(string target) =>
        Mount("mqueue", target, "mqueue", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);

    /// <summary>
    /// A devpts of its own (<c>newinstance</c>): the container sees its own pseudo-terminals only, and
    /// <c>ptmxmode=0666</c> lets any user open its <c>ptmx</c> (the default is 0000). <c>mode=0620,gid=5</c> are
    /// the modes runc gives new terminals.
    /// </summary>
    public static void MountDevpts(string target) =>
        Mount("devpts", target, "devpts", MountFlags.NoSuid | MountFlags.NoExec, "newinstance,ptmxmode=0666,mode=0620,gid=5");

    /// <summary>
    /// An overlayfs over <paramref name="lowerDirectories"/> (the first is the top layer). With an
    /// <paramref name="upperDirectory"/> and <paramref name="workDirectory"/> (on the same filesystem) writes go to
    /// the upper directory; without, the mount is read-only and the kernel wants at least two lower directories
    /// ("at least 2 lowerdir are needed while upperdir nonexistent").
    /// </summary>
    public static void MountOverlay(string target, IReadOnlyList<string> lowerDirectories, string? upperDirectory = null, string? workDirectory = null, MountFlags flags = MountFlags.None)
    {
        ArgumentNullException.ThrowIfNull(lowerDirectories);
        if (lowerDirectories.Count == 0)
            throw new ArgumentException("An overlay needs at least one lower directory.", nameof(lowerDirectories));
        if ((upperDirectory is null) != (workDirectory is null))
            throw new ArgumentException("An overlay's upper and work directories come together.", nameof(upperDirectory));

        var data = new StringBuilder("lowerdir=");
        data.AppendJoin(':', lowerDirectories.Select(OverlayPath));
        if (upperDirectory is not null)
            data.Append(",upperdir=").Append(OverlayPath(upperDirectory)).Append(",workdir=").Append(OverlayPath(workDirectory!));

        // mount(2) copies at most one page of options.
        if (data.Length >= 4096)
            throw new ArgumentException($"The overlay's options are {data.Length} bytes, more than the kernel's one page: use fewer or shorter layer paths.", nameof(lowerDirectories));
        Mount("overlay", target, "overlay", flags, data.ToString());
    }

    /// <summary><c>umount2</c>; <paramref name="detach"/> (<c>MNT_DETACH</c>) takes the mount and everything below it out of the tree now and frees it once unused.</summary>
    public static unsafe void Unmount(string target, bool detach = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        var flags = detach ? LibC.MNT_DETACH : 0;
        fixed (byte* targetBytes = NativeStrings.Utf8(target))
        {
            if (LibC.umount2(targetBytes, flags) == -1)
                throw new MountException($"umount2({MountException.Quote(target)}, {(detach ? "MNT_DETACH" : "0")})", LibC.errno);
        }
    }

    /// <summary>The per-mount flags of the mount that holds <paramref name="path"/>, from <c>statvfs(3)</c>.</summary>
    public static unsafe MountFlags CurrentFlags(string path)
    {
        statvfs status;
        fixed (byte* pathBytes = NativeStrings.Utf8(path))
        {
            if (LibC.statvfs(pathBytes, &status) == -1)
                throw new MountException($"statvfs({MountException.Quote(path)})", LibC.errno);
        }

        ulong bits = status.f_flag;
        var flags = MountFlags.None;
        if ((bits & 1) != 0)
            flags |= MountFlags.ReadOnly;
        if ((bits & StNoSuid) != 0)
            flags |= MountFlags.NoSuid;
        if ((bits & StNoDev) != 0)
            flags |= MountFlags.NoDev;
        if ((bits & StNoExec) != 0)
            flags |= MountFlags.NoExec;
        if ((bits & StNoAccessTime) != 0)
            flags |= MountFlags.NoAccessTime;
        if ((bits & StNoDirectoryAccessTime) != 0)
            flags |= MountFlags.NoDirectoryAccessTime;
        if ((bits & StRelativeAccessTime) != 0)
            flags |= MountFlags.RelativeAccessTime;
        return flags;
    }

    /// <summary>
    /// overlayfs splits <c>lowerdir</c> at ':' and the option string at ','; a backslash escapes in some kernels and
    /// not in others. Such paths are refused rather than guessed at.
    /// </summary>
    private static string OverlayPath(string path)
    {
        if (path.AsSpan().IndexOfAny(":,\\\n") >= 0)
            throw new ArgumentException($"An overlay layer path may not hold ':', ',', '\\' or a newline: \"{path}\".", nameof(path));
        return path;
    }
}
