using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>seccomp</c> verb: installs <see cref="SeccompProfile.Default"/> in this process, then checks that denied
/// calls fail with the filter's errno, allowed ones work, and the .NET runtime still runs (threads, thread pool, GC).
/// </summary>
internal static class SeccompProbe
{
    public static int Run()
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default);
        var before = OnThrowawayThread(PrivilegedCalls.Attempt);

        // A thread that exists before the filter does: only TSYNC can put the filter on it.
        using var installed = new ManualResetEventSlim();
        ThreadReport? earlyThread = null;
        var early = new Thread(() =>
        {
            installed.Wait();
            earlyThread = ThreadReport.Take();
        })
        { Name = "berth-probe-early" };
        early.Start();

        SeccompInstallResult? install = null;
        string? installError = null;
        try
        {
            install = SeccompInstaller.Install(filter);
        }
        catch (Exception e) when (e is SeccompException or ArgumentException)
        {
            installError = e.Message;
        }

        installed.Set();
        early.Join();

        var after = PrivilegedCalls.Attempt();
        var getpid = SyscallOutcome.Of(LibC.getpid());
        var newThread = ThreadReport.OnNewThread();
        var threadPool = RunOnThreadPool();
        var garbageCollection = CollectGarbage();

        ProbeOutput.Write(new SeccompReport(
            filter.Architecture.ToString(),
            filter.Instructions.Length,
            install,
            installError,
            before,
            after,
            getpid,
            Environment.ProcessId,
            earlyThread,
            newThread,
            threadPool,
            garbageCollection,
            ProcStatus.Read("/proc/self/status")));
        return 0;
    }

    private static T OnThrowawayThread<T>(Func<T> attempt)
    {
        T? result = default;
        var thread = new Thread(() => result = attempt()) { Name = "berth-probe-unfiltered" };
        thread.Start();
        thread.Join();
        return result!;
    }

    private static string? RunOnThreadPool()
    {
        try
        {
            // More work items than cores, so the pool starts threads of its own under the filter.
            var tasks = Enumerable.Range(0, 2 * Environment.ProcessorCount + 2)
                .Select(i => Task.Run(() => Thread.Sleep(50)))
                .ToArray();
            Task.WaitAll(tasks);
            return null;
        }
        catch (AggregateException e)
        {
            return e.Message;
        }
    }

    private static GarbageCollectionReport CollectGarbage()
    {
        var collectionsBefore = GC.CollectionCount(2);
        long retained = 0;
        try
        {
            // Large-object allocations make the GC map fresh memory; a compacting full collection moves the rest.
            var survivors = new List<byte[]>();
            for (var i = 0; i < 64; i++)
            {
                var large = new byte[1 << 20];
                large[^1] = 1;
                if (i % 4 == 0)
                    survivors.Add(large);
                for (var j = 0; j < 1000; j++)
                    survivors.Add(new byte[16]);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            retained = survivors.Sum(array => (long)array.Length);
            return new GarbageCollectionReport(GC.CollectionCount(2) - collectionsBefore, retained, Error: null);
        }
        catch (OutOfMemoryException e)
        {
            return new GarbageCollectionReport(GC.CollectionCount(2) - collectionsBefore, retained, e.Message);
        }
    }
}
