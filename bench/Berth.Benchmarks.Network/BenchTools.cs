namespace Berth.Benchmarks.Network;

/// <summary>The outside tools the benchmark drives, each null when it is not installed.</summary>
/// <param name="Wrk">The load generator (Debian: wrk); without it nothing is measured.</param>
/// <param name="Nsenter">Runs wrk and nginx in a container's network namespace (util-linux).</param>
/// <param name="Nginx">The anchor (Debian: nginx or nginx-light).</param>
/// <param name="Taskset">Pins wrk and the servers to separate cores (util-linux).</param>
internal sealed record BenchTools(string? Wrk, string? Nsenter, string? Nginx, string? Taskset)
{
    public static BenchTools Find() => new(ToolLocator.Find("wrk"), ToolLocator.Find("nsenter"), ToolLocator.Find("nginx"), ToolLocator.Find("taskset"));
}
