using System.Text;

namespace Berth.Runtime.Filesystem;

/// <summary>The <c>MS_*</c> flags of <c>mount(2)</c> (linux/mount.h); the values are the same on every architecture.</summary>
[Flags]
#pragma warning disable CA1028 // The kernel's flags are an unsigned long.
public enum MountFlags : ulong
#pragma warning restore CA1028
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>MS_RDONLY</c>.</summary>
    ReadOnly = 1,

    /// <summary><c>MS_NOSUID</c>: set-user-ID and file capabilities are ignored on exec.</summary>
    NoSuid = 2,

    /// <summary><c>MS_NODEV</c>: device nodes cannot be opened.</summary>
    NoDev = 4,

    /// <summary><c>MS_NOEXEC</c>.</summary>
    NoExec = 8,

    /// <summary><c>MS_SYNCHRONOUS</c>.</summary>
    Synchronous = 16,

    /// <summary><c>MS_REMOUNT</c>: change the flags of an existing mount.</summary>
    Remount = 32,

    /// <summary><c>MS_MANDLOCK</c>.</summary>
    MandatoryLocking = 64,

    /// <summary><c>MS_DIRSYNC</c>.</summary>
    DirectorySync = 128,

    /// <summary><c>MS_NOSYMFOLLOW</c>.</summary>
    NoSymlinkFollow = 256,

    /// <summary><c>MS_NOATIME</c>.</summary>
    NoAccessTime = 1024,

    /// <summary><c>MS_NODIRATIME</c>.</summary>
    NoDirectoryAccessTime = 2048,

    /// <summary><c>MS_BIND</c>.</summary>
    Bind = 4096,

    /// <summary><c>MS_MOVE</c>.</summary>
    Move = 8192,

    /// <summary><c>MS_REC</c>: with <see cref="Bind"/> or a propagation type, apply to the whole subtree.</summary>
    Recursive = 16384,

    /// <summary><c>MS_SILENT</c>.</summary>
    Silent = 32768,

    /// <summary><c>MS_UNBINDABLE</c>.</summary>
    Unbindable = 1 << 17,

    /// <summary><c>MS_PRIVATE</c>: mount and unmount events neither propagate in nor out.</summary>
    Private = 1 << 18,

    /// <summary><c>MS_SLAVE</c>: events propagate in, not out.</summary>
    Slave = 1 << 19,

    /// <summary><c>MS_SHARED</c>.</summary>
    Shared = 1 << 20,

    /// <summary><c>MS_RELATIME</c>.</summary>
    RelativeAccessTime = 1 << 21,

    /// <summary><c>MS_STRICTATIME</c>.</summary>
    StrictAccessTime = 1 << 24,
}

/// <summary>Spells <see cref="MountFlags"/> the way the kernel headers do, for error messages.</summary>
public static class MountFlagsText
{
    private static readonly (MountFlags Flag, string Name)[] s_names =
    [
        (MountFlags.ReadOnly, "MS_RDONLY"),
        (MountFlags.NoSuid, "MS_NOSUID"),
        (MountFlags.NoDev, "MS_NODEV"),
        (MountFlags.NoExec, "MS_NOEXEC"),
        (MountFlags.Synchronous, "MS_SYNCHRONOUS"),
        (MountFlags.Remount, "MS_REMOUNT"),
        (MountFlags.MandatoryLocking, "MS_MANDLOCK"),
        (MountFlags.DirectorySync, "MS_DIRSYNC"),
        (MountFlags.NoSymlinkFollow, "MS_NOSYMFOLLOW"),
        (MountFlags.NoAccessTime, "MS_NOATIME"),
        (MountFlags.NoDirectoryAccessTime, "MS_NODIRATIME"),
        (MountFlags.Bind, "MS_BIND"),
        (MountFlags.Move, "MS_MOVE"),
        (MountFlags.Recursive, "MS_REC"),
        (MountFlags.Silent, "MS_SILENT"),
        (MountFlags.Unbindable, "MS_UNBINDABLE"),
        (MountFlags.Private, "MS_PRIVATE"),
        (MountFlags.Slave, "MS_SLAVE"),
        (MountFlags.Shared, "MS_SHARED"),
        (MountFlags.RelativeAccessTime, "MS_RELATIME"),
        (MountFlags.StrictAccessTime, "MS_STRICTATIME"),
    ];

    /// <summary><c>MS_BIND|MS_REC</c>; <c>0</c> for none; unknown bits in hex.</summary>
    public static string Format(MountFlags flags)
    {
        if (flags == MountFlags.None)
            return "0";

        var text = new StringBuilder();
        var rest = flags;
        foreach (var (flag, name) in s_names)
        {
            if ((flags & flag) == 0)
                continue;
            if (text.Length > 0)
                text.Append('|');
            text.Append(name);
            rest &= ~flag;
        }

        if (rest != 0)
            text.Append(text.Length > 0 ? "|" : "").Append("0x").Append(((ulong)rest).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
