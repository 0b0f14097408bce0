using System.Runtime.InteropServices;
using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// What the process does on each signal, read and changed with the raw <c>rt_sigaction</c> call, so that the C
/// library's own signals and the runtime's handlers are seen as they are. Ignored signals stay ignored across
/// <c>execve</c> (caught ones revert to the default), and the .NET runtime ignores SIGPIPE; a host started with
/// <c>nohup</c> or in the background of a shell passes on ignored SIGHUP, SIGINT or SIGQUIT as well.
/// </summary>
internal static class SignalDispositions
{
    /// <summary>Signals 1 to 64, the kernel's <c>_NSIG</c> on x86_64 and aarch64.</summary>
    public static IEnumerable<int> All => Enumerable.Range(1, KernelSignals);

    private const int KernelSignals = 64;
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    private static readonly int s_rtSigaction = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "rt_sigaction");

    /// <summary>Sets every one of <paramref name="signals"/> that is ignored back to its default action; caught ones stay caught.</summary>
    public static unsafe void ResetIgnored(IEnumerable<int> signals)
    {
        foreach (var signal in signals)
        {
            if (Read(signal).Handler == SigIgn)
            {
                var action = new KernelSigaction { Handler = SigDfl };
                Call(signal, &action, null, "reset");
            }
        }
    }

    /// <summary>Whether the process runs a handler for <paramref name="signal"/> (neither the default nor ignored).</summary>
    public static bool IsCaught(int signal) => Read(signal).Handler is not (SigDfl or SigIgn);

    private static unsafe KernelSigaction Read(int signal)
    {
        KernelSigaction current;
        Call(signal, null, &current, "read");
        return current;
    }

    private static unsafe void Call(int signal, KernelSigaction* action, KernelSigaction* previous, string what)
    {
        if ((long)LibC.syscall(s_rtSigaction, signal, action, previous, sizeof(ulong)) == -1)
        {
            throw SystemCallFailure.FromLastError($"rt_sigaction({signal}) to {what} its disposition");
        }
    }

    /// <summary>The kernel's <c>struct sigaction</c> on x86_64 and aarch64, which both have <c>sa_restorer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct KernelSigaction
    {
        public nint Handler;
        public ulong Flags;
        public nint Restorer;
        public ulong Mask;
    }
}
