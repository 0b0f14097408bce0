using Berth.Benchmarks.StackStart.Contenders;

namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>One contender's start and stop in one round.</summary>
/// <param name="Load">The load averages just before the start.</param>
/// <param name="AllAnswering">From the start to the last of the five answering 200 through its address; null if the start failed.</param>
/// <param name="Answered">When each service first answered 200, in service order.</param>
/// <param name="AtUp">The processes once all five answered and each <c>/</c> and <c>/health</c> was checked: the CPU time the start cost.</param>
/// <param name="Settled">The processes after the settle time: the memory figures.</param>
/// <param name="StopRequested">When Ctrl+C was sent, from the start (the timeline's stop events are measured from the start too).</param>
/// <param name="RootsExited">From Ctrl+C to the exit of every process the contender started directly.</param>
/// <param name="AllGone">From Ctrl+C to the last of its processes gone.</param>
/// <param name="CpuTotal">User and system time of every process it started, start to stop, once all were reaped.</param>
/// <param name="Leftovers">What was still there after the stop (processes, state, cgroups, files), one line each.</param>
internal sealed record RunResult(
    string Contender,
    int Round,
    bool Warmup,
    LoadAverage Load,
    TimeSpan? AllAnswering,
    IReadOnlyList<TimeSpan> Answered,
    ProcessSample? AtUp,
    ProcessSample? Settled,
    TimeSpan StopRequested,
    TimeSpan? RootsExited,
    TimeSpan? AllGone,
    TimeSpan CpuTotal,
    OutputTimeline Timeline,
    IReadOnlyList<string> Leftovers,
    string? Failure);
