using Berth.Benchmarks.ContainerStart.Contenders;

namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// Runs <c>/bin/true</c> with every contender in rounds: one run each per round, the first contender rotating
/// from round to round, so that drift in the machine's load, and whatever one run leaves for the next (a GC, a
/// cgroup being torn down in the kernel), fall on all contenders alike. The first rounds are warm-up and are not
/// kept. A contender whose run fails drops out with the reason; the others go on.
/// </summary>
internal static class LatencyRun
{
    public static async Task<IReadOnlyList<LatencyResult>> RunAsync(
        IReadOnlyList<IContender> contenders, int warmup, int runs, LoadMonitor load, TextWriter log, CancellationToken stop)
    {
        var results = contenders.Select(c => new LatencyResult(c.Key, c.Name)).ToArray();
        var rounds = warmup + runs;
        for (var round = 0; round < rounds && !stop.IsCancellationRequested; round++)
        {
            for (var turn = 0; turn < contenders.Count && !stop.IsCancellationRequested; turn++)
            {
                var index = (round + turn) % contenders.Count;
                if (results[index].Failure is not null)
                {
                    continue;
                }

                try
                {
                    var timing = await contenders[index].RunTrueAsync().ConfigureAwait(false);
                    if (round >= warmup)
                    {
                        results[index].Add(timing);
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    results[index].Fail(e.Message);
                    await log.WriteLineAsync($"{contenders[index].Name} failed in round {round + 1} and drops out: {e.Message}").ConfigureAwait(false);
                }
                catch when (stop.IsCancellationRequested)
                {
                    // Interrupted (Ctrl+C reaches the runtimes too): not the contender's failure.
                }
            }

            load.Sample();
            if ((round + 1) % 20 == 0 || round + 1 == rounds)
            {
                await log.WriteLineAsync($"start-to-exit: round {round + 1} of {rounds} ({warmup} warm-up), load {load.Last:0.00}").ConfigureAwait(false);
            }
        }

        return results;
    }
}
