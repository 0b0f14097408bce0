using System.Globalization;

namespace Berth.Benchmarks.Network.Load;

/// <summary>The load every contender gets: the same wrk threads, connections and duration.</summary>
internal sealed record WrkSettings(int Threads, int Connections, TimeSpan Duration, TimeSpan Warmup)
{
    /// <summary>wrk's arguments for a run of <paramref name="duration"/> against <paramref name="url"/>.</summary>
    public IReadOnlyList<string> Arguments(TimeSpan duration, string script, Uri url) =>
    [
        $"-t{Threads.ToString(CultureInfo.InvariantCulture)}",
        $"-c{Connections.ToString(CultureInfo.InvariantCulture)}",
        $"-d{((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s",
        "--latency",
        "-s", script,
        url.ToString(),
    ];
}
