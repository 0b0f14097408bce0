using System.Globalization;

namespace Berth.Runtime.Security;

/// <summary>
/// A root filesystem's users and groups, parsed from the text of its <c>/etc/passwd</c> and <c>/etc/group</c>, and
/// the resolution of a service's <c>user</c> the way Docker resolves it: <c>name</c>, <c>uid</c>,
/// <c>uid:gid</c>, <c>name:group</c> (any mix of names and numbers).
/// </summary>
/// <remarks>
/// <para>A name must be in the files; a number need not be (images often run as an arbitrary unlisted ID).</para>
/// <para>The primary group is the one given after the colon, else the user's group in <c>/etc/passwd</c>, else, for
/// a number the image does not list, 65534 (nogroup, <see cref="UserIdentity.Default"/>'s group). Docker uses 0
/// there; Berth never hands out group root by accident.</para>
/// <para>Without an explicit group the user also gets, as supplementary groups, every group of <c>/etc/group</c>
/// that lists it as a member (what a login would give it, and what Docker and runc do); with an explicit group it
/// gets none, as in runc.</para>
/// </remarks>
public sealed class PasswdDatabase
{
    private readonly bool _hasPasswd;
    private readonly bool _hasGroup;

    private PasswdDatabase(
        IReadOnlyList<PasswdEntry> users, IReadOnlyList<GroupEntry> groups, string passwdPath, string groupPath, bool hasPasswd, bool hasGroup)
    {
        Users = users;
        Groups = groups;
        PasswdPath = passwdPath;
        GroupPath = groupPath;
        _hasPasswd = hasPasswd;
        _hasGroup = hasGroup;
    }

    /// <summary>An image with neither file: only numeric users resolve.</summary>
    public static PasswdDatabase Empty { get; } = Parse(null, null);

    /// <summary>The users, in file order.</summary>
    public IReadOnlyList<PasswdEntry> Users { get; }

    /// <summary>The groups, in file order.</summary>
    public IReadOnlyList<GroupEntry> Groups { get; }

    /// <summary>Where the users came from, for messages.</summary>
    public string PasswdPath { get; }

    /// <summary>Where the groups came from, for messages.</summary>
    public string GroupPath { get; }

    /// <summary>
    /// Parses the two files' text; null for a file the image does not have. Comments, blank lines, NIS lines
    /// (<c>+</c>, <c>-</c>) and lines without numeric IDs are skipped, as glibc skips them.
    /// </summary>
    /// <param name="passwdText">The text of <c>/etc/passwd</c>, or null.</param>
    /// <param name="groupText">The text of <c>/etc/group</c>, or null.</param>
    /// <param name="passwdPath">How messages name the passwd file.</param>
    /// <param name="groupPath">How messages name the group file.</param>
    public static PasswdDatabase Parse(string? passwdText, string? groupText, string passwdPath = "/etc/passwd", string groupPath = "/etc/group")
    {
        ArgumentNullException.ThrowIfNull(passwdPath);
        ArgumentNullException.ThrowIfNull(groupPath);
        var users = new List<PasswdEntry>();
        foreach (var fields in Records(passwdText, minimumFields: 4))
        {
            if (TryParseId(fields[2], out var uid) && TryParseId(fields[3], out var gid))
                users.Add(new PasswdEntry(fields[0], uid, gid, Field(fields, 5), Field(fields, 6)));
        }

        var groups = new List<GroupEntry>();
        foreach (var fields in Records(groupText, minimumFields: 3))
        {
            if (!TryParseId(fields[2], out var gid))
                continue;

            var members = Field(fields, 3).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            groups.Add(new GroupEntry(fields[0], gid, members));
        }

        return new PasswdDatabase(users, groups, passwdPath, groupPath, passwdText is not null, groupText is not null);
    }

    /// <summary>
    /// Reads <c>/etc/passwd</c> and <c>/etc/group</c> of the root filesystem at <paramref name="rootFileSystem"/>,
    /// resolving symbolic links inside it as the container will (an absolute link stays in the root filesystem).
    /// A missing file counts as empty.
    /// </summary>
    /// <exception cref="IOException">A file exists but cannot be read, is not a regular file, or is too large.</exception>
    public static PasswdDatabase Load(string rootFileSystem)
    {
        ArgumentNullException.ThrowIfNull(rootFileSystem);
        return Parse(
            RootFileSystemFile.ReadText(rootFileSystem, "etc/passwd"),
            RootFileSystemFile.ReadText(rootFileSystem, "etc/group"),
            Path.Join(rootFileSystem, "etc/passwd"),
            Path.Join(rootFileSystem, "etc/group"));
    }

    /// <summary>The first user named <paramref name="name"/>, as glibc's getpwnam finds it.</summary>
    public PasswdEntry? FindUser(string name) => Users.FirstOrDefault(user => user.Name == name);

    /// <summary>The first user with ID <paramref name="uid"/>, as glibc's getpwuid finds it.</summary>
    public PasswdEntry? FindUser(uint uid) => Users.FirstOrDefault(user => user.Uid == uid);

    /// <summary>The first group named <paramref name="name"/>.</summary>
    public GroupEntry? FindGroup(string name) => Groups.FirstOrDefault(group => group.Name == name);

    /// <summary>
    /// Resolves a service's user specification; null or blank gives <see cref="UserIdentity.Default"/>.
    /// </summary>
    /// <exception cref="UserLookupException">
    /// A named user or group is not in the file (the message names both), or the specification is malformed.
    /// </exception>
    public ResolvedUser Resolve(string? specification)
    {
        if (string.IsNullOrWhiteSpace(specification))
        {
            var nobody = FindUser(UserIdentity.Default.Uid);
            return new ResolvedUser(UserIdentity.Default, nobody?.Name, HomeOf(nobody));
        }

        var parts = specification.Trim().Split(':');
        if (parts.Length > 2 || parts.Any(part => part.Length == 0))
        {
            throw new UserLookupException(
                $"'{specification}' is not a user: expected a user name or ID, optionally followed by ':' and a group name or ID (app, 1000, 1000:1000, app:staff).");
        }

        var user = parts[0];
        PasswdEntry? entry;
        uint uid;
        if (IsNumber(user))
        {
            uid = ParseNumericId(user, "user", specification);
            entry = FindUser(uid);
        }
        else
        {
            entry = FindUser(user) ?? throw new UserLookupException($"User '{user}' is not in {PasswdPath}{Missing(_hasPasswd)}.");
            uid = entry.Uid;
        }

        if (parts.Length == 2)
        {
            var gid = ResolveGroup(parts[1], specification);
            return new ResolvedUser(new UserIdentity(uid, gid), entry?.Name, HomeOf(entry));
        }

        var primary = entry?.Gid ?? UserIdentity.Default.Gid;
        var supplementary = entry is null
            ? []
            : Groups.Where(group => group.Gid != primary && group.Members.Contains(entry.Name, StringComparer.Ordinal))
                .Select(group => group.Gid)
                .Distinct()
                .ToArray();
        return new ResolvedUser(new UserIdentity(uid, primary, supplementary), entry?.Name, HomeOf(entry));
    }

    private uint ResolveGroup(string group, string specification)
    {
        if (IsNumber(group))
            return ParseNumericId(group, "group", specification);

        var entry = FindGroup(group) ?? throw new UserLookupException($"Group '{group}' is not in {GroupPath}{Missing(_hasGroup)}.");
        return entry.Gid;
    }

    private static string Missing(bool exists) => exists ? "" : " (the file does not exist)";

    private static string HomeOf(PasswdEntry? entry) => entry is { Home.Length: > 0 } ? entry.Home : "/";

    private static bool IsNumber(string text) => text.All(char.IsAsciiDigit);

    private static uint ParseNumericId(string text, string kind, string specification) =>
        TryParseId(text, out var id)
            ? id
            : throw new UserLookupException($"'{specification}': {kind} ID {text} is out of range (0 to 4294967294).");

    // 4294967295 is (uid_t)-1, "unchanged" to the kernel; it is no one's ID.
    private static bool TryParseId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != uint.MaxValue;

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : "";

    private static IEnumerable<string[]> Records(string? text, int minimumFields)
    {
        if (text is null)
            yield break;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] is '#' or '+' or '-')
                continue;

            var fields = line.Split(':');
            if (fields.Length >= minimumFields && fields[0].Length > 0)
                yield return fields;
        }
    }
}
