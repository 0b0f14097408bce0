using Berth.Benchmarks.ContainerStart.Contenders;
using Berth.Benchmarks.ContainerStart.Measurement;

namespace Berth.Benchmarks.ContainerStart.Report;

/// <summary>Everything one run found, for <see cref="MarkdownReport"/>.</summary>
internal sealed record BenchReport(
    BenchOptions Options,
    IReadOnlyList<string> ContenderKeys,
    IReadOnlyList<SkippedContender> Skipped,
    IReadOnlyList<LatencyResult> Latency,
    IReadOnlyList<MemoryResult> Memory,
    MachineDescription Machine,
    LoadMonitor Load,
    TimeSpan Duration,
    bool Interrupted) : IBenchReport;
