using System.Globalization;
using Berth.Benchmarks.Network.Backend;
using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Load;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>
/// One phase: every path is checked to answer as the backend does, warmed up with one unrecorded wrk run (the JIT
/// compiles the host's hot paths at full optimization, connection pools fill), then measured round by round. The
/// contenders take turns within a round, the first one rotating from round to round, so drift in the machine's
/// load falls on all alike and each round's direct run is the reference for the others in it.
/// </summary>
internal sealed class PhaseRun(WrkRun wrk, WrkSettings settings, int rounds, CpuMeter cpu, LoadMonitor load, TextWriter log)
{
    /// <param name="failed">Contenders that cannot run in this phase, with the reason (nginx did not start).</param>
    public async Task<PhaseResult> RunAsync(CpuPhase phase, IReadOnlyList<Contender> contenders, IReadOnlyDictionary<string, string> failed, string? nginxCommand, CancellationToken stop)
    {
        var failures = new Dictionary<string, string>(failed, StringComparer.Ordinal);
        var results = contenders.ToDictionary(c => c.Key, _ => new SortedDictionary<int, RoundResult>(), StringComparer.Ordinal);
        List<Contender> Active() => [.. contenders.Where(c => !failures.ContainsKey(c.Key))];

        foreach (var contender in Active())
        {
            await TryAsync(contender, failures, () => HttpProbe.RequireBackendAnswerAsync(contender.Namespace.Connect, contender.Url, BenchBackend.BodyLength, stop)).ConfigureAwait(false);
        }

        foreach (var contender in Active().TakeWhile(_ => !stop.IsCancellationRequested))
        {
            await log.WriteLineAsync($"[{phase.Key}] warm-up: {contender.Name}").ConfigureAwait(false);
            await TryAsync(contender, failures, () => wrk.RunAsync(contender, phase, settings.Warmup)).ConfigureAwait(false);
        }

        for (var round = 1; round <= rounds && !stop.IsCancellationRequested; round++)
        {
            var active = Active();
            var order = active.Skip((round - 1) % Math.Max(active.Count, 1)).Concat(active.Take((round - 1) % Math.Max(active.Count, 1)));
            foreach (var contender in order.TakeWhile(_ => !stop.IsCancellationRequested))
            {
                var thisRound = round;
                await TryAsync(contender, failures, async () =>
                {
                    var before = cpu.Sample();
                    var result = await wrk.RunAsync(contender, phase, settings.Duration).ConfigureAwait(false);
                    results[contender.Key][thisRound] = new RoundResult(result, cpu.Sample() - before);
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"[{phase.Key}] round {thisRound}/{rounds}: {contender.Name}: {result.RequestsPerSecond:0} requests/s, p50 {result.P50.TotalMilliseconds:0.00} ms, p99 {result.P99.TotalMilliseconds:0.00} ms, {result.Errors} errors")).ConfigureAwait(false);
                }).ConfigureAwait(false);
                load.Sample();
            }
        }

        return new PhaseResult(
            phase,
            [.. contenders.Select(c => new ContenderRounds(c, wrk.Command(c, phase, settings.Duration).Display, results[c.Key], failures.GetValueOrDefault(c.Key)))],
            nginxCommand);
    }

    /// <summary>Runs one step for a contender; a failure is noted against it, and it takes no further part.</summary>
    private async Task TryAsync(Contender contender, Dictionary<string, string> failures, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ContenderException or HttpRequestException or System.Net.Sockets.SocketException or TimeoutException)
        {
            failures[contender.Key] = e.Message;
            await log.WriteLineAsync($"{contender.Name}: {e.Message}").ConfigureAwait(false);
        }
    }
}
