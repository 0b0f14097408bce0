namespace Berth.Benchmarks.StackStart.Report;

/// <summary>Medians and ranges of the rounds' figures.</summary>
internal static class Stats
{
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
