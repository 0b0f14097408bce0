namespace Berth.Runtime.Cgroups;

/// <summary>Resource limits for one cgroup; null means unlimited.</summary>
/// <param name="MemoryBytes">
/// Memory the processes may use. Swap is not granted on top (memory+swap is limited to the same amount), so a
/// container at its limit is OOM-killed rather than pushed into swap.
/// </param>
/// <param name="CpuCores">CPU time as a number of cores, e.g. 0.5: a quota of that many times each period.</param>
/// <param name="Pids">Processes and threads the cgroup may hold at once; a fork beyond it fails with EAGAIN.</param>
public sealed record CgroupLimits(long? MemoryBytes = null, double? CpuCores = null, long? Pids = null)
{
    /// <summary>The CFS bandwidth period the CPU quota is expressed over: 100 ms, the kernel's default.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>The smallest quota the kernel accepts (1 ms per period).</summary>
    public const long MinimumCpuQuotaMicroseconds = 1_000;

    public static CgroupLimits None { get; } = new();

    /// <summary><see cref="CpuCores"/> as a quota per <see cref="CpuPeriodMicroseconds"/>, or null when unlimited.</summary>
    public long? CpuQuotaMicroseconds =>
        CpuCores is { } cores
            ? Math.Max(MinimumCpuQuotaMicroseconds, (long)Math.Round(cores * CpuPeriodMicroseconds))
            : null;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit the kernel would refuse.</summary>
    public void Validate()
    {
        if (MemoryBytes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(MemoryBytes), MemoryBytes, "A memory limit must be positive.");
        if (CpuCores is { } cores && (!double.IsFinite(cores) || cores <= 0))
            throw new ArgumentOutOfRangeException(nameof(CpuCores), CpuCores, "A CPU limit must be a positive number of cores.");
        if (Pids is <= 0)
            throw new ArgumentOutOfRangeException(nameof(Pids), Pids, "A pids limit must be positive.");
    }
}
