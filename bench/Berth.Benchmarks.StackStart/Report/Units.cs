using System.Globalization;

namespace Berth.Benchmarks.StackStart.Report;

/// <summary>How figures are written in the report.</summary>
internal static class Units
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string MiB(long bytes) => MiB((double)bytes);

    public static string MiB(double bytes) => (bytes / (1 << 20)).ToString("#,0", s_invariant);

    public static string Seconds(double seconds) => seconds.ToString("0.00", s_invariant);

    public static string Ratio(double ratio) => ratio.ToString("0.00", s_invariant) + "×";

    public static string Count(double count) => count.ToString("0.#", s_invariant);
}
