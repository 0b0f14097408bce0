using System.Text;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// One line of <c>/proc/PID/mountinfo</c> (proc(5)):
/// <c>36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue</c>.
/// </summary>
/// <param name="Root">The directory of the mounted filesystem that appears at the mount point.</param>
/// <param name="MountPoint">Where it is mounted, relative to the process's root.</param>
/// <param name="FileSystemType">e.g. <c>cgroup</c> or <c>cgroup2</c>.</param>
/// <param name="SuperOptions">Per-superblock options; for cgroup v1 these name the controllers.</param>
internal sealed record MountInfoEntry(string Root, string MountPoint, string FileSystemType, IReadOnlyList<string> SuperOptions)
{
    public static IReadOnlyList<MountInfoEntry> ParseAll(string text)
    {
        var entries = new List<MountInfoEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(line, out var entry))
                entries.Add(entry);
        }

        return entries;
    }

    public static bool TryParse(string line, out MountInfoEntry entry)
    {
        entry = null!;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // Six fixed fields, optional fields (shared:N, master:N...) ended by a lone "-", then type, source, options.
        if (fields.Length < 9)
            return false;

        var separator = Array.IndexOf(fields, "-", 6);
        if (separator < 0 || separator + 2 >= fields.Length)
            return false;

        var superOptions = separator + 3 < fields.Length ? fields[separator + 3].Split(',') : [];
        entry = new MountInfoEntry(Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1], superOptions);
        return true;
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as octal escapes (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;

        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string field, int start) =>
        start + 3 <= field.Length && field.AsSpan(start, 3).IndexOfAnyExcept("01234567") < 0;
}
