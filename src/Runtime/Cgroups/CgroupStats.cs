namespace Berth.Runtime.Cgroups;

/// <summary>A snapshot of what a cgroup's processes use.</summary>
/// <param name="MemoryCurrentBytes">Memory charged now (v1 <c>memory.usage_in_bytes</c>, v2 <c>memory.current</c>).</param>
/// <param name="MemoryPeakBytes">
/// The highest charge so far (v1 <c>memory.max_usage_in_bytes</c>, v2 <c>memory.peak</c>); null on a v2 kernel
/// older than 5.19, which has no <c>memory.peak</c>.
/// </param>
/// <param name="CpuUsage">CPU time consumed by every process that has run in the cgroup.</param>
/// <param name="PidsCurrent">Processes and threads in the cgroup now.</param>
public sealed record CgroupStats(long MemoryCurrentBytes, long? MemoryPeakBytes, TimeSpan CpuUsage, long PidsCurrent);
