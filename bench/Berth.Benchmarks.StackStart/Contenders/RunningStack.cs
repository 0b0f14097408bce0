using Berth.Benchmarks.StackStart.Processes;
using Tmds.Linux;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>The processes a contender started for one round, where its services answer, and what their output said when.</summary>
internal sealed class RunningStack(IReadOnlyList<LaunchedProcess> roots, IReadOnlyList<Uri> services, OutputTimeline timeline) : IDisposable
{
    /// <summary>The processes the contender started directly: the five services for the floor, the host or app host otherwise.</summary>
    public IReadOnlyList<LaunchedProcess> Roots { get; } = roots;

    /// <summary>Each service's <c>/</c>, as a client reaches it (for Berth, through the gateway's route).</summary>
    public IReadOnlyList<Uri> Services { get; } = services;

    public OutputTimeline Timeline { get; } = timeline;

    /// <summary>Ctrl+C, as a terminal sends it to its foreground processes: SIGINT to each root.</summary>
    public void Interrupt()
    {
        foreach (var root in Roots.Where(r => !r.HasExited))
        {
            _ = LibC.kill(root.Pid, LibC.SIGINT);
        }
    }

    public void Dispose()
    {
        foreach (var root in Roots)
        {
            root.Dispose();
        }
    }
}
