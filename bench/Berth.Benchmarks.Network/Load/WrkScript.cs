namespace Berth.Benchmarks.Network.Load;

/// <summary>
/// wrk's <c>done</c> hook: one line with the exact counts and the latency percentiles in microseconds, rather than
/// wrk's rounded, unit-suffixed summary. It defines no per-request hook, so it costs wrk nothing while it runs.
/// </summary>
internal static class WrkScript
{
    public const string Marker = "berth-bench-result";

    public const string Text = $$"""
        -- The network benchmark's figures, on one line, for the harness to read.
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("{{Marker}} requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            e.connect, e.read, e.write, e.status, e.timeout))
        end
        """;

    public static void Write(string path) => File.WriteAllText(path, Text);
}
