namespace Berth.Benchmarks.Shared;

/// <summary>What <see cref="BenchMain"/> needs to know of a harness's report: whether the run was stopped early.</summary>
internal interface IBenchReport
{
    bool Interrupted { get; }
}
