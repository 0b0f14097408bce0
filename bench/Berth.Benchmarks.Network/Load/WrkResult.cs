using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Benchmarks.Network.Load;

/// <summary>One wrk run: requests completed, over how long, the latency percentiles, and what went wrong.</summary>
/// <param name="Errors">Socket errors (connect, read, write, timeout) and responses that were not 2xx or 3xx.</param>
internal sealed partial record WrkResult(long Requests, TimeSpan Duration, TimeSpan P50, TimeSpan P99, long Errors)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    /// <summary>The figures from the line <see cref="WrkScript"/> prints; null when wrk printed none (it failed).</summary>
    public static WrkResult? Parse(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(WrkScript.Marker, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var values = Pair().Matches(line).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new WrkResult(
            values["requests"],
            Microseconds(values["duration_us"]),
            Microseconds(values["p50_us"]),
            Microseconds(values["p99_us"]),
            values["connect"] + values["read"] + values["write"] + values["status"] + values["timeout"]);
    }

    private static TimeSpan Microseconds(long value) => TimeSpan.FromTicks(value * TimeSpan.TicksPerMicrosecond);

    [GeneratedRegex("([a-z0-9_]+)=([0-9]+)")]
    private static partial Regex Pair();
}
