using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// Drops every capability but the ones a service keeps (none by default; <c>cap_add</c> names the rest), and
/// switches to the service's user, on the calling thread, so that what the service's program gets at
/// <c>execve</c> is exactly the kept capabilities, whether it runs as root or not.
/// </summary>
/// <remarks>
/// <para>The sequence, and why (capabilities(7), prctl(2)):</para>
/// <list type="number">
/// <item><b>Check first.</b> Every kept capability must be one the kernel knows and the thread holds in both its
/// permitted and bounding sets, and the thread must hold what the next steps need (CAP_SETPCAP to drop from the
/// bounding set, CAP_SETGID and CAP_SETUID to switch user). Nothing below can be undone, so a bad spec fails here,
/// with the thread untouched.</item>
/// <item><b>Drop from the bounding set</b> (<c>PR_CAPBSET_DROP</c>) every capability the kernel knows
/// (<c>cap_last_cap</c>) but the kept ones. This needs CAP_SETPCAP, so it comes while the thread still has
/// everything. It does not shrink the permitted set; it caps what any later <c>execve</c> can grant: a root
/// program, or a set-user-ID-root or file-capability program, gets at most the bounding set.</item>
/// <item><b>Clear the ambient set</b> (<c>PR_CAP_AMBIENT_CLEAR_ALL</c>), so nothing inherited from the caller
/// survives <c>execve</c> unasked.</item>
/// <item><b>Switch user</b> (<see cref="UserSwitch"/>: <c>setgroups</c>, <c>setresgid</c>, <c>setresuid</c>), while
/// CAP_SETGID and CAP_SETUID are still effective, which is why the final <c>capset</c> comes after it, not before.
/// When every user ID goes from 0 to non-zero the kernel clears the permitted, effective and ambient sets, unless
/// <c>PR_SET_KEEPCAPS</c> is set, which keeps the permitted set (the effective and ambient sets are cleared all the
/// same). So keep-caps is set just before, when a non-root service keeps capabilities.</item>
/// <item><b><c>capset</c></b> effective = permitted = inheritable = kept. Permitted shrinks to the kept set;
/// effective is raised again from it after the switch cleared it; inheritable is allowed because each kept
/// capability is permitted and in the bounding set.</item>
/// <item><b>For a non-root user, raise the kept capabilities in the ambient set</b> (<c>PR_CAP_AMBIENT_RAISE</c>,
/// which needs each one permitted and inheritable, hence after the <c>capset</c>). At <c>execve</c> of a program
/// without file capabilities a non-root thread's new permitted and effective sets are its ambient set, and nothing
/// else: without this step a non-root service would start with no capabilities at all (Docker's behaviour, which
/// makes <c>cap_add</c> useless for non-root users). Root needs no ambient set: at <c>execve</c> root gets
/// inheritable | bounding, which is the kept set. Keep-caps is cleared again (<c>execve</c> would clear it too).</item>
/// <item><b>Verify</b> by reading the five sets back; anything but the expected sets is an error.</item>
/// </list>
/// <para>Every call acts on the calling thread only, and so does this: the .NET runtime's other threads keep their
/// capabilities and user. Call it on the thread that will <c>execve</c> the service, right before doing so;
/// <c>execve</c> ends the other threads. Set no_new_privs (<see cref="NoNewPrivileges"/>) and load seccomp after
/// it: ambient capabilities survive <c>execve</c> under no_new_privs.</para>
/// </remarks>
public static class CapabilityDropper
{
    /// <summary>
    /// Keeps only <paramref name="keep"/> and, when <paramref name="user"/> is given, switches to it; returns the
    /// thread's capability sets afterwards.
    /// </summary>
    /// <param name="keep">The capabilities the service keeps; empty drops them all.</param>
    /// <param name="user">The user to switch to, or null to keep the thread's user and groups.</param>
    /// <exception cref="PrivilegeException">
    /// A kept capability is unknown to the kernel or not held by the thread, or the thread lacks what the drop
    /// needs (nothing has changed then); or a system call failed, or the sets read back are not the expected ones
    /// (the thread is then part way and must not run the service).
    /// </exception>
    public static ThreadCapabilitySets Apply(IReadOnlyCollection<LinuxCapability> keep, UserIdentity? user = null)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var kept = CapabilitySet.Of(keep);
        var before = ThreadCapabilities.Read();
        var endsAsRoot = user?.IsRoot ?? LibC.geteuid() == 0;
        var toDrop = before.Bounding.Except(kept);
        Check(kept, before, toDrop, user);

        foreach (var capability in toDrop)
            ThreadCapabilities.DropFromBounding(capability);

        ThreadCapabilities.ClearAmbient();

        var keepAcrossSwitch = user is not null && !endsAsRoot && !kept.IsEmpty;
        if (keepAcrossSwitch)
            ThreadCapabilities.SetKeepCapabilities(true);

        if (user is not null)
            UserSwitch.Apply(user);

        ThreadCapabilities.Set(effective: kept, permitted: kept, inheritable: kept);

        if (keepAcrossSwitch)
            ThreadCapabilities.SetKeepCapabilities(false);

        if (!endsAsRoot)
        {
            foreach (var capability in kept)
                ThreadCapabilities.RaiseAmbient(capability);
        }

        var after = ThreadCapabilities.Read();
        var expected = new ThreadCapabilitySets(kept, kept, kept, kept, endsAsRoot ? CapabilitySet.Empty : kept);
        if (after != expected)
            throw new PrivilegeException($"After the drop the thread's capabilities are {after}, not the expected {expected}.");

        return after;
    }

    private static void Check(CapabilitySet kept, ThreadCapabilitySets before, CapabilitySet toDrop, UserIdentity? user)
    {
        var unknown = kept.Except(KernelCapabilities.All);
        if (!unknown.IsEmpty)
            throw new PrivilegeException($"Cannot keep {unknown}: this kernel's last capability is {(int)KernelCapabilities.Last}.");

        // What the thread lacks it cannot keep: capset cannot add to permitted, nor to inheritable past the bounding set.
        var missing = kept.Except(before.Permitted).Union(kept.Except(before.Bounding));
        if (!missing.IsEmpty)
        {
            throw new PrivilegeException(
                $"Cannot keep {missing}: the process starting the service does not have {(missing.Count == 1 ? "it" : "them")} " +
                $"(its permitted set is {before.Permitted.ToHex()}, its bounding set {before.Bounding.ToHex()}).");
        }

        var needed = CapabilitySet.Empty;
        if (!toDrop.IsEmpty)
            needed = needed.Union(CapabilitySet.Of(LinuxCapability.Setpcap));

        if (user is not null)
            needed = needed.Union(CapabilitySet.Of(LinuxCapability.Setgid, LinuxCapability.Setuid));

        var lacking = needed.Except(before.Effective);
        if (!lacking.IsEmpty)
            throw new PrivilegeException($"Cannot drop capabilities{(user is null ? "" : $" and switch to user {user}")}: the calling thread lacks {lacking}.");
    }
}
