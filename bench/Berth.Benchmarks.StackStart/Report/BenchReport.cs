using Berth.Benchmarks.StackStart.Contenders;
using Berth.Benchmarks.StackStart.Measurement;
using Berth.Benchmarks.StackStart.Workloads;

namespace Berth.Benchmarks.StackStart.Report;

/// <summary>Everything one run found, for <see cref="MarkdownReport"/>.</summary>
internal sealed record BenchReport(
    BenchOptions Options,
    IReadOnlyList<IContender> Contenders,
    IReadOnlyList<RunResult> Results,
    IReadOnlyList<BuildCheck> BuildChecks,
    MachineDescription Machine,
    LoadAverage FirstLoad,
    LoadAverage LastLoad,
    TimeSpan Duration,
    bool Interrupted) : IBenchReport
{
    /// <summary>The measured rounds (no warm-up) of one contender, failed ones included.</summary>
    public IReadOnlyList<RunResult> Measured(string contender) => [.. Results.Where(r => !r.Warmup && r.Contender == contender)];

    /// <summary>The measured rounds of one contender whose start succeeded.</summary>
    public IReadOnlyList<RunResult> Succeeded(string contender) => [.. Measured(contender).Where(r => r.Failure is null && r.Settled is not null)];
}
