namespace Berth.Runtime.Security;

/// <summary>One line of <c>/etc/passwd</c>: <c>name:password:uid:gid:gecos:home:shell</c>, without the password and gecos.</summary>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home, string Shell);
