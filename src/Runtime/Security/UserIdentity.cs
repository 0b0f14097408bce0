namespace Berth.Runtime.Security;

/// <summary>
/// The user a service runs as: a user ID, a primary group ID and supplementary group IDs, all numeric, as the kernel
/// sees them. <see cref="PasswdDatabase"/> turns a name like <c>app</c> or <c>app:staff</c> into one.
/// </summary>
public sealed record UserIdentity
{
    /// <summary>
    /// The user and group nobody and nogroup (65534 on Debian, Ubuntu, Alpine and most images). It is what a service
    /// runs as when its spec names no user: Berth never runs a service as root unless asked to (Docker's default is
    /// root), and 65534 owns nothing in a typical image, so a compromised service can change none of its files.
    /// </summary>
    public static UserIdentity Default { get; } = new(65534, 65534);

    /// <summary>Root, with group root and no supplementary groups.</summary>
    public static UserIdentity Root { get; } = new(0, 0);

    /// <summary>
    /// An identity with no supplementary groups (the switch then calls <c>setgroups(0, NULL)</c>, so none of the
    /// caller's groups leak into the service).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An ID is 4294967295, which the kernel reads as "unchanged".</exception>
    public UserIdentity(uint uid, uint gid, IReadOnlyList<uint>? supplementaryGroups = null)
    {
        Uid = Valid(uid, nameof(uid));
        Gid = Valid(gid, nameof(gid));
        var groups = supplementaryGroups?.ToArray() ?? [];
        foreach (var group in groups)
            Valid(group, nameof(supplementaryGroups));

        SupplementaryGroups = groups;
    }

    /// <summary>The user ID, set as real, effective and saved user ID.</summary>
    public uint Uid { get; }

    /// <summary>The primary group ID, set as real, effective and saved group ID.</summary>
    public uint Gid { get; }

    /// <summary>The supplementary group IDs; empty means none.</summary>
    public IReadOnlyList<uint> SupplementaryGroups { get; }

    /// <summary>Whether the user is root (user ID 0), which the kernel gives every bounding capability at <c>execve</c>.</summary>
    public bool IsRoot => Uid == 0;

    /// <inheritdoc />
    public bool Equals(UserIdentity? other) =>
        other is not null && Uid == other.Uid && Gid == other.Gid && SupplementaryGroups.SequenceEqual(other.SupplementaryGroups);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Uid, Gid, SupplementaryGroups.Count);

    /// <summary><c>uid:gid</c>, then the supplementary groups if any: <c>1000:1000 (groups 27, 100)</c>.</summary>
    public override string ToString() =>
        SupplementaryGroups.Count == 0 ? $"{Uid}:{Gid}" : $"{Uid}:{Gid} (groups {string.Join(", ", SupplementaryGroups)})";

    // (uid_t)-1 asks setresuid/setresgid to leave an ID unchanged; as a real ID it would silently do nothing.
    private static uint Valid(uint id, string name) =>
        id == uint.MaxValue ? throw new ArgumentOutOfRangeException(name, id, "4294967295 means \"unchanged\" to the kernel; it is not an ID.") : id;
}
