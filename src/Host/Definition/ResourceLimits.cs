namespace Berth.Host;

/// <summary>cgroup limits for each replica of a service; null means unlimited.</summary>
public sealed record ResourceLimits
{
    public long? MemoryBytes { get; init; }

    /// <summary>CPU quota in cores (0.5 is half a core).</summary>
    public double? Cpus { get; init; }

    public int? Pids { get; init; }
}
