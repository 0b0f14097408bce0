namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// Percentiles by nearest rank (the smallest sample with at least p% of the samples at or below it: with 200 runs,
/// p99 is the third-slowest), and the mean.
/// </summary>
internal sealed record LatencySummary(int Count, TimeSpan P50, TimeSpan P99, TimeSpan Mean)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        TimeSpan Percentile(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, Percentile(50), Percentile(99), TimeSpan.FromTicks((long)sorted.Average(s => s.Ticks)));
    }
}
