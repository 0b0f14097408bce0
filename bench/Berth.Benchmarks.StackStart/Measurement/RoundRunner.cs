using System.Diagnostics;
using Berth.Benchmarks.StackStart.Contenders;
using Berth.Benchmarks.StackStart.Processes;
using Tmds.Linux;

namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>
/// One contender's round: start, wait for all five to answer 200, verify every service's <c>/</c> and
/// <c>/health</c>, read the processes, let it settle and read the memory, then Ctrl+C and wait until every process it
/// started is gone; last, look for anything the stop left behind. A round whose start fails is still stopped the same way.
/// </summary>
internal sealed class RoundRunner(BenchOptions options, ReadinessProbe probe)
{
    /// <summary>How long a stop may take before what is left is killed (and reported).</summary>
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_stopPollInterval = TimeSpan.FromMilliseconds(10);

    public async Task<RunResult> RunAsync(IContender contender, int round, bool warmup)
    {
        var load = LoadAverage.Read();
        var cpuBefore = CpuUsage.Now();
        var origin = Stopwatch.GetTimestamp();
        using var stack = contender.Start(origin);
        IReadOnlyList<TimeSpan> answered = [];
        ProcessSample? atUp = null, settled = null;
        string? failure = null;
        try
        {
            answered = await probe.WaitAllAsync(stack, origin, options.PollInterval, options.StartTimeout, CancellationToken.None).ConfigureAwait(false);
            // After the check of every `/` and `/health`: by then every contender's services have served both paths
            // (Berth's health checks have served /health before), so their CPU counts the same first requests.
            await probe.VerifyAsync(stack, CancellationToken.None).ConfigureAwait(false);
            atUp = ProcessSample.Take(contender, stack);
            await Task.Delay(options.Settle).ConfigureAwait(false);
            settled = ProcessSample.Take(contender, stack);
        }
        catch (Exception e) when (e is StartFailedException or HttpRequestException)
        {
            failure = e.Message;
        }

        var stopRequested = Stopwatch.GetElapsedTime(origin);
        stack.Interrupt();
        var (rootsExited, allGone, left) = await WaitUntilGoneAsync(stack, origin, stopRequested).ConfigureAwait(false);
        foreach (var root in stack.Roots)
        {
            try
            {
                await root.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Its output stayed open after everything exited: nothing more to read.
            }
        }

        var cpuTotal = CpuUsage.Now().Children - cpuBefore.Children;
        return new RunResult(
            contender.Key,
            round,
            warmup,
            load,
            answered.Count > 0 ? answered.Max() : null,
            answered,
            atUp,
            settled,
            stopRequested,
            rootsExited,
            allGone,
            cpuTotal,
            stack.Timeline,
            [.. left, .. contender.Leftovers()],
            failure);
    }

    /// <summary>
    /// Reaps what exited after the last look and was orphaned to this process (a detached process such as DCP, gone
    /// last), so that its CPU time counts for this contender's round and not the next one's.
    /// </summary>
    private static async Task ReapRemainingAsync(IReadOnlySet<int> roots)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var left = ProcessInfo.DescendantsOf(Environment.ProcessId).Where(p => !roots.Contains(p.Pid)).ToList();
            if (left.Count == 0)
            {
                return;
            }

            Subreaper.ReapOrphans(left, roots);
            await Task.Delay(s_stopPollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls until the roots have exited and nothing below this process is alive (reaping what was orphaned to it);
    /// after <see cref="s_stopTimeout"/> kills what is left and reports it.
    /// </summary>
    private static async Task<(TimeSpan? RootsExited, TimeSpan? AllGone, IReadOnlyList<string> Left)> WaitUntilGoneAsync(RunningStack stack, long origin, TimeSpan stopRequested)
    {
        var roots = stack.Roots.Select(r => r.Pid).ToHashSet();
        TimeSpan? rootsExited = null;
        while (true)
        {
            var descendants = ProcessInfo.DescendantsOf(Environment.ProcessId);
            Subreaper.ReapOrphans(descendants, roots);
            var since = Stopwatch.GetElapsedTime(origin) - stopRequested;
            if (rootsExited is null && stack.Roots.All(r => r.HasExited))
            {
                rootsExited = since;
            }

            var alive = descendants.Where(p => !p.IsZombie).ToList();
            if (alive.Count == 0 && rootsExited is not null)
            {
                await ReapRemainingAsync(roots).ConfigureAwait(false);
                return (rootsExited, since, []);
            }

            if (since > s_stopTimeout)
            {
                var left = alive.Select(p => $"process {p.Pid} still running {s_stopTimeout.TotalSeconds:0} s after Ctrl+C, killed: {p.WithCommandLine().CommandLine}").ToList();
                foreach (var process in alive)
                {
                    _ = LibC.kill(process.Pid, LibC.SIGKILL);
                }

                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                Subreaper.ReapOrphans(ProcessInfo.DescendantsOf(Environment.ProcessId), roots);
                return (rootsExited, null, left);
            }

            await Task.Delay(s_stopPollInterval).ConfigureAwait(false);
        }
    }
}
