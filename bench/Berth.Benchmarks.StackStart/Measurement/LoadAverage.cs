using System.Globalization;

namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>
/// The load averages (1, 5 and 15 minutes) as <c>uptime</c> shows them, read before each start: on a shared machine
/// they say how far the times can be trusted, so the report gives them with every round.
/// </summary>
internal readonly record struct LoadAverage(double One, double Five, double Fifteen)
{
    public static LoadAverage Read()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        double Field(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
        return new LoadAverage(Field(0), Field(1), Field(2));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{One:0.00}, {Five:0.00}, {Fifteen:0.00}");
}
