using Berth.Benchmarks.ContainerStart.Contenders;

namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// Host memory per running container. In each round every contender in turn starts K sleepers, the host is
/// measured with them running and compared with just before, and they are removed; contenders take turns so that
/// no two contenders' sleepers share pages (and split each other's PSS), and rounds interleave them so that drift
/// on the machine falls on all alike. Each figure's median over the rounds is kept. The host process is collected
/// (compacting, returning memory to the system) and left a second to settle before each reading.
/// </summary>
internal static class MemoryRun
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<MemoryResult>> RunAsync(
        IReadOnlyList<IContender> contenders, int containers, int rounds, LoadMonitor load, TextWriter log, CancellationToken stop)
    {
        var samples = contenders.Select(_ => new List<MemorySample>()).ToArray();
        var failures = new string?[contenders.Count];
        for (var round = 0; round < rounds && !stop.IsCancellationRequested; round++)
        {
            for (var i = 0; i < contenders.Count && !stop.IsCancellationRequested; i++)
            {
                if (failures[i] is not null)
                {
                    continue;
                }

                try
                {
                    samples[i].Add(await MeasureAsync(contenders[i], containers, stop).ConfigureAwait(false));
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    failures[i] = e.Message;
                    await log.WriteLineAsync($"{contenders[i].Name}: memory measurement failed: {e.Message}").ConfigureAwait(false);
                }
                catch when (stop.IsCancellationRequested)
                {
                    // Interrupted: the sleepers are gone (see MeasureAsync); the round is not kept.
                }
            }

            load.Sample();
            await log.WriteLineAsync($"memory: round {round + 1} of {rounds}, load {load.Last:0.00}").ConfigureAwait(false);
        }

        return [.. contenders.Select((c, i) => new MemoryResult(
            c.Key,
            c.Name,
            failures[i] is null && samples[i].Count > 0 ? MemorySample.Median(samples[i]) : null,
            samples[i],
            failures[i]))];
    }

    private static async Task<MemorySample> MeasureAsync(IContender contender, int containers, CancellationToken stop)
    {
        await SettleAsync().ConfigureAwait(false);
        var before = MemorySnapshot.Take();
        var sleepers = new List<IRunningService>();
        try
        {
            for (var i = 0; i < containers; i++)
            {
                stop.ThrowIfCancellationRequested();
                sleepers.Add(await contender.StartSleeperAsync().ConfigureAwait(false));
            }

            await SettleAsync().ConfigureAwait(false);
            var after = MemorySnapshot.Take();
            var services = sleepers.Sum(s => ProcMemory.Pss(s.Pid));
            return new MemorySample(
                services / containers,
                (after.HostAnonymous - before.HostAnonymous) / containers,
                (after.Kernel - before.Kernel) / containers,
                (before.Available - after.Available) / containers);
        }
        finally
        {
            await RemoveAllAsync(sleepers).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every sleeper, each on its own: one that fails must not leave the others running.</summary>
    private static async Task RemoveAllAsync(IEnumerable<IRunningService> sleepers)
    {
        var problems = new List<Exception>();
        foreach (var sleeper in sleepers)
        {
            try
            {
                await sleeper.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                problems.Add(e);
            }
        }

        if (problems.Count > 0)
        {
            throw new AggregateException("Some sleepers could not be removed.", problems);
        }
    }

    private static async Task SettleAsync()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(s_settle).ConfigureAwait(false);
    }
}
