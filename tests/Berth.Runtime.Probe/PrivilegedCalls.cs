using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// System calls Berth's default seccomp profile denies, made so that they change nothing that outlives the calling
/// thread even when nothing denies them: most fail for a reason of their own (a missing mount point, an empty
/// keyring, a zero-sized argument) with an errno other than the filter's. <c>unshare(CLONE_NEWNS)</c> succeeds
/// unfiltered, even in a multithreaded process: it gives the calling thread its own copy of the shared fs_struct and
/// a new mount namespace, and nothing else; so run the unfiltered attempt on a thread that then ends. Comparing the
/// outcomes with and without the filter shows the filter, not a lack of privilege, stopped the calls.
/// </summary>
internal sealed record PrivilegedCalls(SyscallOutcome Mount, SyscallOutcome UnshareMountNamespace, SyscallOutcome Keyctl, SyscallOutcome Clone3)
{
    // linux/keyctl.h
    private const int KeyctlGetKeyringId = 0;
    private const int KeySpecProcessKeyring = -2;

    public static unsafe PrivilegedCalls Attempt()
    {
        var architecture = SyscallTable.CurrentArchitecture;
        SyscallOutcome mount;
        fixed (byte* source = "none\0"u8, target = "/nonexistent-berth-probe-mount-point\0"u8, type = "tmpfs\0"u8)
        {
            // Without a filter: ENOENT (the mount point does not exist). With the default profile: EPERM.
            mount = SyscallOutcome.Of(LibC.mount(source, target, type, 0, null));
        }

        return new PrivilegedCalls(
            mount,
            // Without a filter: success, for the calling thread only. With the default profile: EPERM.
            UnshareMountNamespace: SyscallOutcome.Of(LibC.unshare(LibC.CLONE_NEWNS)),
            // Without a filter: ENOKEY (no process keyring, and this asks not to create one).
            Keyctl: SyscallOutcome.Of((long)LibC.syscall(SyscallTable.GetNumber(architecture, "keyctl"), KeyctlGetKeyringId, KeySpecProcessKeyring, 0)),
            // Without a filter: EINVAL (no clone_args). With the default profile: ENOSYS.
            Clone3: SyscallOutcome.Of((long)LibC.syscall(SyscallTable.GetNumber(architecture, "clone3"), 0, 0)));
    }
}
