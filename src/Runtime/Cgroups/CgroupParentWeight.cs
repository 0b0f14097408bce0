using System.Globalization;
using static Tmds.Linux.LibC;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Gives each level of Berth's cgroup parent the CPU weight of the containers below it. The scheduler shares CPU
/// among siblings by weight, and a cgroup weighs what one task does by default (v1 <c>cpu.shares</c> 1024, v2
/// <c>cpu.weight</c> 100). Left at that, every container under <c>berth</c> together would weigh as much as one
/// thread of the host process beside it: while the host is busy (starting a stack, proxying), five services would
/// share one thread's worth of CPU. Weighted by the count of containers, each container weighs one task, as a
/// process started without Berth would.
/// </summary>
internal readonly record struct CgroupParentWeight(string WeightFile, int PerContainer, int Maximum)
{
    /// <summary>v1 <c>cpu.shares</c>: 1024 per task by default, at most 262144 (the kernel's MAX_SHARES).</summary>
    public static CgroupParentWeight V1 { get; } = new("cpu.shares", 1024, 262144);

    /// <summary>v2 <c>cpu.weight</c>: 100 per task by default, at most 10000.</summary>
    public static CgroupParentWeight V2 { get; } = new("cpu.weight", 100, 10000);

    /// <summary>The weight for a level holding that many containers: never below one task's, never above the maximum.</summary>
    public int For(int containers) => (int)Math.Clamp((long)PerContainer * Math.Max(containers, 1), PerContainer, Maximum);

    /// <summary>
    /// Writes each level of <paramref name="parentComponents"/> below <paramref name="ownDirectory"/> (a cpu hierarchy)
    /// the weight of the containers in its subtree. A level that is gone (removed by a concurrent delete) is skipped.
    /// Returns 0, or the errno of the first write the kernel refused otherwise.
    /// </summary>
    public int Balance(string ownDirectory, IReadOnlyList<string> parentComponents)
    {
        var result = 0;
        var directory = ownDirectory;
        foreach (var component in parentComponents)
        {
            directory = Path.Combine(directory, component);
            var file = Path.Combine(directory, WeightFile);
            if (!CgroupFile.Exists(file))
                continue;

            var written = CgroupFile.TryWrite(file, For(CountContainers(directory)).ToString(CultureInfo.InvariantCulture));
            if (written != 0 && written != ENOENT && result == 0)
                result = written;
        }

        return result;
    }

    /// <summary>The leaf cgroups below a directory: containers (parent levels only ever hold other cgroups).</summary>
    private static int CountContainers(string directory)
    {
        try
        {
            var count = 0;
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                var below = CountContainers(child);
                count += below == 0 ? 1 : below;
            }

            return count;
        }
        catch (DirectoryNotFoundException)
        {
            // Removed under us by a concurrent delete: it holds nothing now.
            return 0;
        }
    }
}
