using System.Runtime.InteropServices;

namespace Berth.Benchmarks.StackStart.Processes;

/// <summary>
/// Makes this process the child subreaper of everything it starts (<c>PR_SET_CHILD_SUBREAPER</c>): a process that
/// detaches from its parent (Aspire starts its orchestrator, DCP, that way) or is orphaned becomes a child of this
/// process instead of init's. So every process a contender starts stays below this one, where it is counted,
/// measured and seen to be gone after the stop. Orphans it inherits are not reaped by .NET (which waits only for
/// the processes it started), so <see cref="ReapOrphans"/> reaps those.
/// </summary>
internal static partial class Subreaper
{
    private const int PrSetChildSubreaper = 36;
    private const int WNoHang = 1;

    public static void Become()
    {
        if (Prctl(PrSetChildSubreaper, 1, 0, 0, 0) != 0)
        {
            throw new BenchSetupException($"prctl(PR_SET_CHILD_SUBREAPER) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Reaps the exited children of this process that .NET did not start (it reaps its own).</summary>
    public static void ReapOrphans(IEnumerable<ProcessInfo> processes, IReadOnlySet<int> startedByDotnet)
    {
        foreach (var process in processes)
        {
            if (process.IsZombie && process.ParentPid == Environment.ProcessId && !startedByDotnet.Contains(process.Pid))
            {
                _ = WaitPid(process.Pid, out _, WNoHang);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
