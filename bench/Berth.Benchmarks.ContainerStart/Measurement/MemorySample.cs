namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// Bytes per running container, from one round: the PSS of the processes the contender leaves running (for every
/// contender here, the service alone), this host process's growth, the kernel's, and the drop in MemAvailable.
/// </summary>
internal readonly record struct MemorySample(long ServicePss, long HostGrowth, long Kernel, long AvailableDrop)
{
    /// <summary>What the host pays: the service, the host process and the kernel.</summary>
    public long Total => ServicePss + HostGrowth + Kernel;

    /// <summary>The median of each figure on its own.</summary>
    public static MemorySample Median(IReadOnlyList<MemorySample> samples)
    {
        static long Middle(IEnumerable<long> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        return new MemorySample(
            Middle(samples.Select(s => s.ServicePss)),
            Middle(samples.Select(s => s.HostGrowth)),
            Middle(samples.Select(s => s.Kernel)),
            Middle(samples.Select(s => s.AvailableDrop)));
    }
}
