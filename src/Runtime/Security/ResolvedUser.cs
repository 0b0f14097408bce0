namespace Berth.Runtime.Security;

/// <summary>
/// What a service's user specification resolved to: the identity to switch to, and, for the service's environment,
/// the user's name (null for a numeric user the image does not list) and home directory (<c>/</c> when unknown, as
/// Docker sets <c>HOME</c>).
/// </summary>
public sealed record ResolvedUser(UserIdentity Identity, string? Name, string Home);
