using System.Globalization;

namespace Berth.Benchmarks.Network.Cpus;

/// <summary>CPU lists as the kernel and taskset write them (<c>0-3,6</c>).</summary>
internal static class CpuList
{
    /// <summary>The CPUs this process may run on (<c>Cpus_allowed_list</c>), which a cpuset or an outer taskset may narrow.</summary>
    public static IReadOnlyList<int> Allowed() =>
        Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..]);

    public static IReadOnlyList<int> Parse(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(part => part.Split('-') is [var first, var last]
                ? Enumerable.Range(Number(first), Number(last) - Number(first) + 1)
                : [Number(part)])
            .Order()];

    public static string Format(IEnumerable<int> cpus) => string.Join(',', cpus.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
