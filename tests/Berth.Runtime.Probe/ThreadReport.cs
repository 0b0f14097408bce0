namespace Berth.Runtime.Probe;

/// <summary>What one thread sees of its own seccomp state, and whether a denied call is denied on it.</summary>
internal sealed record ThreadReport(bool Ran, ProcStatus? Status, SyscallOutcome? Mount, string? Error)
{
    public static ThreadReport Take() =>
        new(Ran: true, ProcStatus.Read("/proc/thread-self/status"), PrivilegedCalls.Attempt().Mount, Error: null);

    /// <summary>Starts a new thread, lets it report, and joins it; starting it is itself the test.</summary>
    public static ThreadReport OnNewThread()
    {
        ThreadReport? report = null;
        try
        {
            var thread = new Thread(() => report = Take()) { Name = "berth-probe" };
            thread.Start();
            thread.Join();
            return report ?? new ThreadReport(Ran: false, null, null, "The thread ended without reporting.");
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            return new ThreadReport(Ran: false, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
