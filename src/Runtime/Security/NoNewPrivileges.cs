namespace Berth.Runtime.Security;

/// <summary>
/// The no_new_privs flag (prctl(2) <c>PR_SET_NO_NEW_PRIVS</c>): once set, <c>execve</c> never grants privileges,
/// so set-user-ID and set-group-ID bits and file capabilities are ignored; ambient capabilities still pass. It cannot
/// be cleared, and <c>execve</c>, <c>fork</c> and <c>clone</c> pass it on. Like the other calls of this namespace it
/// marks the calling thread only.
/// </summary>
/// <remarks>
/// <see cref="Seccomp.SeccompInstaller.Install"/> sets it too (the kernel refuses a filter without it) and copies it
/// to every thread with the filter; setting it here as well is harmless. Call <see cref="Set"/> for a service that
/// runs without a seccomp profile, so it still cannot gain privileges through a set-user-ID program.
/// </remarks>
public static class NoNewPrivileges
{
    /// <summary>Whether the calling thread has no_new_privs.</summary>
    /// <exception cref="PrivilegeException">prctl failed.</exception>
    public static bool IsSet =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrGetNoNewPrivs, 0, 0, "prctl(PR_GET_NO_NEW_PRIVS)") == 1;

    /// <summary>Sets no_new_privs on the calling thread; setting it again does nothing.</summary>
    /// <exception cref="PrivilegeException">prctl failed.</exception>
    public static void Set() =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrSetNoNewPrivs, 1, 0, "prctl(PR_SET_NO_NEW_PRIVS, 1)");
}
