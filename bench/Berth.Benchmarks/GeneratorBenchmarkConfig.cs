using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Berth.Benchmarks;

/// <summary>
/// Each benchmark under both garbage collectors a generator meets: workstation GC (BenchmarkDotNet's default, and
/// a plain process) and server GC, which the compiler server that runs generators in command-line builds uses.
/// Fifteen warmup iterations give the tiered JIT time to optimize the code that does the work (the methods called
/// many times per run) even where an iteration holds a single run.
/// </summary>
public class GeneratorBenchmarkConfig : ManualConfig
{
    public GeneratorBenchmarkConfig()
    {
        var job = Job.Default.WithLaunchCount(1).WithWarmupCount(15).WithIterationCount(15);
        AddJob(job.WithGcServer(false).WithId("Workstation GC"));
        AddJob(job.WithGcServer(true).WithId("Server GC"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByJob, BenchmarkLogicalGroupRule.ByCategory);

        // One unit for every row, from the microsecond no-op runs to the cold runs.
        SummaryStyle = SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond);
    }
}
