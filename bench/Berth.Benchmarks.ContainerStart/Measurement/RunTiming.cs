using System.Diagnostics;

namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// One <c>/bin/true</c> run as <see cref="Stopwatch"/> timestamps: the start asked for, the service running
/// (Berth only: <c>StartAsync</c> returned, the init has exec'd), the exit seen, and everything the container had
/// removed. <c>crun run</c> and <c>runc run</c> delete the container before they exit, so for them, as for a bare
/// process, removal is the exit; for Berth it is the end of <c>DisposeAsync</c>. <see cref="Cpu"/> is the CPU time
/// from just before the start to the removal (see <see cref="CpuUsage"/>), <see cref="CpuToRunning"/> (Berth only)
/// the part of it until the service ran (meaningful for this process only: a child's CPU time is counted when it
/// is reaped, and <c>true</c> may be reaped before <c>StartAsync</c> returns).
/// </summary>
internal readonly record struct RunTiming(long Requested, long? Running, long Exited, long Removed, CpuUsage Cpu)
{
    public CpuUsage? CpuToRunning { get; init; }

    /// <summary>Start to exit and removal: the figure every contender is compared on.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(Requested, Removed);

    public TimeSpan? ToRunning => Running is { } running ? Stopwatch.GetElapsedTime(Requested, running) : null;

    public TimeSpan ToExit => Stopwatch.GetElapsedTime(Requested, Exited);
}
