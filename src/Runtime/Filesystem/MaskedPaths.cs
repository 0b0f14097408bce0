using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Docker's default masked and read-only paths (moby <c>oci/defaults.go</c>): kernel interfaces under
/// <c>/proc</c> and <c>/sys</c> that leak host information (<c>kcore</c>, <c>keys</c>, <c>timer_list</c>...) or let
/// a process change the host (<c>/proc/sys</c>, <c>sysrq-trigger</c>), applied after <c>pivot_root</c>.
/// </summary>
public static class MaskedPaths
{
    /// <summary>Covered: a file by <c>/dev/null</c>, a directory by an empty read-only tmpfs.</summary>
    public static IReadOnlyList<string> Masked { get; } =
    [
        "/proc/acpi",
        "/proc/asound",
        "/proc/interrupts",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/sys/firmware",
        // Docker 20.10+: RAPL energy counters allow power side channels (CVE-2020-8694).
        "/sys/devices/virtual/powercap",
    ];

    /// <summary>Bound onto themselves read-only.</summary>
    public static IReadOnlyList<string> ReadOnly { get; } =
    [
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
    ];

    /// <summary>
    /// Masks and write-protects the paths that exist (a kernel without <c>timer_stats</c>, or a <c>/proc</c> left
    /// unmounted, simply has nothing there). Call inside the container, after <c>pivot_root</c>.
    /// </summary>
    public static void Apply()
    {
        foreach (var path in Masked)
        {
            switch (KindOf(path))
            {
                case null:
                    continue;
                case true:
                    Mounts.MountTmpfs(path, flags: MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
                    break;
                case false:
                    Mounts.Bind("/dev/null", path);
                    break;
            }
        }

        foreach (var path in ReadOnly)
        {
            if (KindOf(path) is null)
                continue;
            Mounts.Bind(path, path, recursive: true);
            Mounts.RemountTreeReadOnly(path);
        }
    }

    /// <summary>True for a directory, false for anything else, null when missing.</summary>
    private static unsafe bool? KindOf(string path)
    {
        stat status;
        fixed (byte* bytes = NativeStrings.Utf8(path))
        {
            if (LibC.lstat(bytes, &status) == -1)
                return null;
        }

        return (ushort)(status.st_mode & LibC.S_IFMT) == (ushort)LibC.S_IFDIR;
    }
}
