using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Measurement;

namespace Berth.Benchmarks.Network.Report;

/// <summary>Everything one run found, for <see cref="MarkdownReport"/>.</summary>
/// <param name="Notes">Things the run could not do and why (a phase skipped), one line each.</param>
internal sealed record BenchReport(
    BenchOptions Options,
    IReadOnlyList<SkippedContender> Skipped,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<string> Notes,
    MachineDescription Machine,
    LoadMonitor Load,
    TimeSpan Duration,
    bool Interrupted) : IBenchReport;
