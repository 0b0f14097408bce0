using System.Globalization;
using System.Text;

namespace Berth.Runtime.Filesystem;

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
            text.Append(text.Length > 0 ? "|" : "").Append("0x").Append(((ulong)rest).ToString("x", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
