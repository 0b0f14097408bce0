using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// Makes the calling thread run as a <see cref="UserIdentity"/>: <c>setgroups</c>, then <c>setresgid</c>, then
/// <c>setresuid</c>, each setting all of real, effective and saved IDs so no way back remains. The order matters:
/// changing groups needs CAP_SETGID, which a change of user from 0 takes away (capabilities(7)), so groups go first.
/// </summary>
/// <remarks>
/// On its own, switching from root to a non-root user clears the thread's permitted and effective capabilities
/// (capabilities(7), "Effect of user ID changes on capabilities"). To keep some, use
/// <see cref="CapabilityDropper.Apply"/>, which brackets the switch with <c>PR_SET_KEEPCAPS</c> and a new
/// <c>capset</c>. Like every call in this namespace it acts on the calling thread only.
/// </remarks>
public static class UserSwitch
{
    /// <summary>Switches the calling thread's groups and user IDs to <paramref name="identity"/>'s.</summary>
    /// <exception cref="PrivilegeException">A call failed (EPERM without CAP_SETGID or CAP_SETUID).</exception>
    public static unsafe void Apply(UserIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // setgroups(0, NULL) when there are none: the caller's own supplementary groups (root's, here) must not
        // follow the service.
        var groups = identity.SupplementaryGroups.ToArray();
        fixed (uint* first = groups)
        {
            if ((long)LibC.syscall(SecuritySyscalls.Setgroups, groups.Length, groups.Length == 0 ? null : first) == -1)
                throw new PrivilegeException($"setgroups([{string.Join(", ", groups)}])", LibC.errno);
        }

        if ((long)LibC.syscall(SecuritySyscalls.Setresgid, identity.Gid, identity.Gid, identity.Gid) == -1)
            throw new PrivilegeException($"setresgid({identity.Gid}, {identity.Gid}, {identity.Gid})", LibC.errno);

        if ((long)LibC.syscall(SecuritySyscalls.Setresuid, identity.Uid, identity.Uid, identity.Uid) == -1)
            throw new PrivilegeException($"setresuid({identity.Uid}, {identity.Uid}, {identity.Uid})", LibC.errno);
    }
}
