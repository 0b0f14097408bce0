namespace Berth.Benchmarks.Shared;

/// <summary>Medians and ranges of the rounds' figures.</summary>
internal static class Stats
{
    /// <summary>The middle value; for an even count, the mean of the two middle ones; null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static (double Low, double High)? Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : (list.Min(), list.Max());
    }
}
