using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Report;

/// <summary>Everything one run found, for <see cref="MarkdownImageReport"/>.</summary>
internal sealed record ImageReport(
    ImageBenchOptions Options,
    IReadOnlyList<BenchImage> Images,
    IReadOnlyList<ContenderDescription> Contenders,
    IReadOnlyDictionary<string, string> Skipped,
    IReadOnlyList<ImageResult> Results,
    LeftoverCheck Leftovers,
    IReadOnlyList<(string Name, string Value)> Machine,
    LoadMonitor Load,
    string LoadAveragesAtStart,
    string LoadAveragesAtEnd,
    TimeSpan Duration,
    bool Interrupted) : IBenchReport;

/// <summary>A contender as the report names it, and what one of its runs includes.</summary>
internal sealed record ContenderDescription(string Key, string Name, string Timed);
