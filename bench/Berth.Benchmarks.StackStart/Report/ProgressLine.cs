using System.Globalization;
using Berth.Benchmarks.StackStart.Measurement;

namespace Berth.Benchmarks.StackStart.Report;

/// <summary>One line on standard error per run, while the benchmark goes on.</summary>
internal static class ProgressLine
{
    public static string Of(RunResult result)
    {
        var start = result.AllAnswering is { } up ? $"all five answered in {up.TotalSeconds:0.00} s" : "start failed";
        var memory = result.Settled is { } s ? $", {s.Processes} processes, RSS {Units.MiB(s.Memory.Rss)} MiB, PSS {Units.MiB(s.Memory.Pss)} MiB" : string.Empty;
        var stop = result.AllGone is { } gone ? $", all gone {gone.TotalSeconds:0.00} s after Ctrl+C" : ", the stop did not finish";
        var left = result.Leftovers.Count > 0 ? $"; LEFT BEHIND: {string.Join("; ", result.Leftovers)}" : string.Empty;
        var failure = result.Failure is { } f ? $"\n  {f.Replace("\n", "\n  ", StringComparison.Ordinal)}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"  {start}{memory}{stop}{left}{failure}");
    }
}
