namespace Berth.Runtime.Probe;

/// <summary>The <c>caps-drop</c> verb's report.</summary>
/// <param name="CallingThreadIsMain">Whether the drop ran on the process's main thread (thread ID = process ID).</param>
/// <param name="Loopback">Entering a private network namespace with <c>lo</c> up, before the drop.</param>
/// <param name="User">The identity <c>--user</c> resolved to, as <c>uid:gid (groups …)</c>; null without it.</param>
/// <param name="Before">The calling thread's credentials before the drop.</param>
/// <param name="ApplyError">Why the drop or no_new_privs failed; null when they worked.</param>
/// <param name="Returned">The sets the dropper read back, as <c>/proc</c> prints them; null on error.</param>
/// <param name="NoNewPrivsIsSet">What <c>NoNewPrivileges.IsSet</c> said after <c>--no-new-privs</c>; null without it.</param>
/// <param name="After">The calling thread's credentials after the drop.</param>
/// <param name="OtherThread">A thread started before the drop, read after it.</param>
/// <param name="ChownBefore">fchown of a root-owned temporary file to another user, before the drop.</param>
/// <param name="ChownAfter">The same, to yet another user, after the drop.</param>
/// <param name="BindPort80Before">Binding 127.0.0.1:80, before the drop.</param>
/// <param name="BindPort80After">Binding 127.0.0.1:80, after the drop.</param>
/// <param name="SetuidRoot">setuid(0) on the calling thread, after the drop.</param>
/// <param name="Exec">What a program the calling thread executes afterwards sees of itself.</param>
internal sealed record CapabilityDropReport(
    bool CallingThreadIsMain,
    SyscallOutcome Loopback,
    string? User,
    CredentialStatus Before,
    string? ApplyError,
    CapabilitySetsReport? Returned,
    bool? NoNewPrivsIsSet,
    CredentialStatus After,
    CredentialStatus OtherThread,
    SyscallOutcome ChownBefore,
    SyscallOutcome ChownAfter,
    SyscallOutcome BindPort80Before,
    SyscallOutcome BindPort80After,
    SyscallOutcome SetuidRoot,
    ExecReport Exec);
