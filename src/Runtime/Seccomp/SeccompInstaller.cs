using Tmds.Linux;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Loads a <see cref="SeccompFilter"/> into the kernel for the calling process. Seccomp filters are per thread and
/// a .NET process always has several threads, so the filter is loaded with <c>SECCOMP_FILTER_FLAG_TSYNC</c>, which
/// applies it to every thread at once; a thread started afterwards inherits it. A filter cannot be removed: call
/// this last, in the process that will <c>execve</c> the service (which keeps the filter across the exec).
/// </summary>
public static class SeccompInstaller
{
    // linux/prctl.h
    private const int PrSetNoNewPrivs = 38;

    // linux/seccomp.h
    private const uint SeccompSetModeFilter = 1;
    private const uint SeccompFilterFlagTsync = 1;

    /// <summary>
    /// Sets no_new_privs, then loads <paramref name="filter"/> on every thread, or on the calling thread alone when
    /// the kernel cannot synchronize the others (one of them runs a filter this thread does not), saying so in the
    /// result.
    /// </summary>
    /// <exception cref="ArgumentException">The filter is for another architecture; loading it would kill the process.</exception>
    /// <exception cref="SeccompException">prctl or seccomp failed; the message carries the errno.</exception>
    public static unsafe SeccompInstallResult Install(SeccompFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var architecture = SyscallTable.CurrentArchitecture;
        if (filter.Architecture != architecture)
        {
            throw new ArgumentException(
                $"The filter is for {filter.Architecture} but this process runs on {architecture}; it would kill the process.",
                nameof(filter));
        }

        // Without no_new_privs (or CAP_SYS_ADMIN) the kernel refuses a filter with EACCES, so that a filter cannot
        // trick a setuid program. It must be set anyway: it is what keeps execve from granting privileges.
        // TSYNC copies it to the other threads along with the filter.
        var prctl = SyscallTable.GetNumber(architecture, "prctl");
        if ((long)LibC.syscall(prctl, PrSetNoNewPrivs, 1, 0, 0, 0) == -1)
            throw new SeccompException("prctl(PR_SET_NO_NEW_PRIVS, 1)", LibC.errno);

        var seccomp = SyscallTable.GetNumber(architecture, "seccomp");
        var instructions = filter.Instructions.AsSpan();
        fixed (BpfInstruction* first = instructions)
        {
            var program = new SockFprog { Length = (ushort)instructions.Length, Filter = first };

            // With TSYNC the call returns 0 when every thread took the filter, -1 and errno on an error, or the ID
            // of a thread it could not synchronize, and then loads nothing (seccomp(2)).
            var synchronized = (long)LibC.syscall(seccomp, SeccompSetModeFilter, SeccompFilterFlagTsync, &program);
            if (synchronized == 0)
                return new SeccompInstallResult(AllThreads: true, ThreadSyncFailure: null);

            var reason = synchronized > 0
                ? $"thread {synchronized} runs a seccomp filter this thread does not, so TSYNC could not reach it"
                : $"TSYNC failed: {new SeccompException("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)", LibC.errno).Message}";

            if ((long)LibC.syscall(seccomp, SeccompSetModeFilter, 0, &program) == -1)
                throw new SeccompException($"seccomp(SECCOMP_SET_MODE_FILTER) after {reason}", LibC.errno);

            return new SeccompInstallResult(AllThreads: false, ThreadSyncFailure: reason);
        }
    }

    /// <summary>The kernel's <c>struct sock_fprog</c>: a length and a pointer (8-byte aligned on 64-bit).</summary>
    private unsafe struct SockFprog
    {
        public ushort Length;
        public BpfInstruction* Filter;
    }
}
