using Berth.Benchmarks.Network.Contenders;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>
/// A contender's rounds in a few figures: the median throughput; its ratio to the direct path, the median of the
/// per-round ratios (each round's direct run is the reference, so load that drifts between rounds cancels out);
/// the medians of the rounds' p50 and p99 latency; the errors over all rounds; and the median CPU time per request
/// (µs) of the proxy (nginx for nginx, else this process: the gateway, the mesh, the forwarder, or, for the direct
/// path, only the harness waiting), of the backend and of wrk.
/// </summary>
internal sealed record ContenderSummary(
    double RequestsPerSecond,
    double? RatioToDirect,
    IReadOnlyList<double> RoundRatios,
    TimeSpan P50,
    TimeSpan P99,
    long Errors,
    double ProxyCpu,
    double BackendCpu,
    double WrkCpu)
{
    /// <summary>Null when the contender has no measured round.</summary>
    public static ContenderSummary? Of(ContenderRounds contender, ContenderRounds? direct)
    {
        if (contender.Rounds.Count == 0)
        {
            return null;
        }

        var runs = contender.Rounds.Values.ToList();
        List<double> ratios = direct is null
            ? []
            : [.. contender.Rounds
                .Where(r => direct.Rounds.ContainsKey(r.Key))
                .Select(r => r.Value.Load.RequestsPerSecond / direct.Rounds[r.Key].Load.RequestsPerSecond)];
        var viaNginx = contender.Contender.Key == ContenderLineup.Nginx;
        return new ContenderSummary(
            Median(runs.Select(r => r.Load.RequestsPerSecond)),
            ratios.Count > 0 ? Median(ratios) : null,
            ratios,
            TimeSpan.FromTicks((long)Median(runs.Select(r => (double)r.Load.P50.Ticks))),
            TimeSpan.FromTicks((long)Median(runs.Select(r => (double)r.Load.P99.Ticks))),
            runs.Sum(r => r.Load.Errors),
            Median(runs.Select(r => r.PerRequest(viaNginx ? r.Cpu.Nginx : r.Cpu.Host))),
            Median(runs.Select(r => r.PerRequest(r.Cpu.Backend))),
            Median(runs.Select(r => r.PerRequest(r.Cpu.Wrk))));
    }

    /// <summary>The median of the rounds' figures; there is always at least one round.</summary>
    private static double Median(IEnumerable<double> values) => Stats.Median(values)!.Value;
}
