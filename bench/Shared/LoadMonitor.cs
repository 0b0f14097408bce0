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

    public void Sample()
    {
        Last = Read();
        Highest = Math.Max(Highest, Last);
    }

    private static double Read() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
