using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// Loads a filter on the calling thread alone (no TSYNC), the way a library with its own sandbox might: afterwards
/// the process's threads no longer share one filter tree, which is the case <see cref="SeccompInstaller"/> must
/// survive by falling back to the calling thread.
/// </summary>
internal static class ThreadLocalFilter
{
    // linux/prctl.h, linux/seccomp.h
    private const int PrSetNoNewPrivs = 38;
    private const int SeccompSetModeFilter = 1;

    /// <summary>Loads a one-instruction filter that allows everything; returns the seccomp call's outcome.</summary>
    public static unsafe SyscallOutcome LoadAllowAll()
    {
        var architecture = SyscallTable.CurrentArchitecture;
        var noNewPrivs = SyscallOutcome.Of((long)LibC.syscall(SyscallTable.GetNumber(architecture, "prctl"), PrSetNoNewPrivs, 1, 0, 0, 0));
        if (noNewPrivs.Result == -1)
            return noNewPrivs;

        var allowAll = SeccompFilter.Compile(new SeccompProfile(SeccompAction.Allow, [], []), architecture);
        fixed (BpfInstruction* first = allowAll.Instructions.AsSpan())
        {
            var program = new SockFprog { Length = (ushort)allowAll.Instructions.Length, Filter = first };
            return SyscallOutcome.Of((long)LibC.syscall(SyscallTable.GetNumber(architecture, "seccomp"), SeccompSetModeFilter, 0, &program));
        }
    }

    /// <summary>The calling thread's kernel thread ID.</summary>
    public static long CurrentThreadId() => (long)LibC.syscall(SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "gettid"));

    /// <summary>The kernel's <c>struct sock_fprog</c>.</summary>
    private unsafe struct SockFprog
    {
        public ushort Length;
        public BpfInstruction* Filter;
    }
}
