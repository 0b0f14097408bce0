using System.Globalization;

namespace Berth.Benchmarks.Shared;

/// <summary>
/// The 1-minute load average over the run, sampled between runs: the report gives it with the numbers, because on a
/// shared machine it says how much the numbers can be trusted.
/// </summary>
internal sealed class LoadMonitor
{
    public LoadMonitor() => First = Highest = Last = Read();

    public double First { get; }

    public double Highest { get; private set; }

    public double Last { get; private set; }

    /// <summary>The row of the report's machine table.</summary>
    public (string Name, string Value) Fact =>
        ("1-minute load average", string.Create(CultureInfo.InvariantCulture, $"{First:0.00} at the start, {Highest:0.00} at most, {Last:0.00} at the end"));

    public void Sample()
    {
        Last = Read();
        Highest = Math.Max(Highest, Last);
    }

    private static double Read() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
