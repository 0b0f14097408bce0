using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// What every container in the benchmark gets, whichever runtime makes it: the same limits, user, environment and
/// host name. The CPU quota equals the machine's cores, so it is written (its cost is in) but never throttles a
/// start; the memory and PID limits are far above what an init or busybox uses.
/// </summary>
internal static class BenchContainer
{
    public const string Hostname = "bench";

    public const string Path = "/usr/bin:/bin";

    /// <summary>nobody:nogroup, Berth's default service user.</summary>
    public const int Uid = 65534;

    public const int Gid = 65534;

    public static readonly string[] TrueCommand = ["/bin/true"];

    /// <summary>Long enough to outlast any measurement; every sleeper is killed when it is done with.</summary>
    public static readonly string[] SleepCommand = ["/bin/sleep", "86400"];

    public static CgroupLimits Limits { get; } = new(MemoryBytes: 256L << 20, CpuCores: Environment.ProcessorCount, Pids: 128);
}
