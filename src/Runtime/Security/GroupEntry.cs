namespace Berth.Runtime.Security;

/// <summary>One line of <c>/etc/group</c>: <c>name:password:gid:member,member</c>, without the password.</summary>
public sealed record GroupEntry(string Name, uint Gid, IReadOnlyList<string> Members);
