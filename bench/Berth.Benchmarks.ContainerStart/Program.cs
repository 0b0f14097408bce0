using System.Diagnostics;
using Berth.Benchmarks.ContainerStart.Contenders;
using Berth.Benchmarks.ContainerStart.Measurement;
using Berth.Benchmarks.ContainerStart.Report;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ContainerStart;

/// <summary>
/// Container start to exit, and host memory per running container: a bare spawn, Berth with the managed and the
/// ahead-of-time init, crun and runc, on one busybox image. Progress goes to standard error, the markdown report
/// to standard output.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BenchMain.RunAsync<BenchOptions, BenchWorkspace, BenchReport>(
        args,
        BenchOptions.Usage,
        BenchOptions.Parse,
        "Run as root: containers need namespaces, mounts and cgroups.",
        RunAsync,
        MarkdownReport.Write);

    private static async Task<BenchReport> RunAsync(BenchOptions options, BenchWorkspace workspace, TextWriter log, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var layout = CgroupLayout.Detect();
        var machine = MachineDescription.Describe(layout);
        var image = BusyboxImage.Create(workspace);
        await using var lineup = await ContenderLineup.CreateAsync(options, workspace, image, layout).ConfigureAwait(false);
        foreach (var skipped in lineup.Skipped)
        {
            await log.WriteLineAsync($"Skipping {skipped.Name}: {skipped.Reason}").ConfigureAwait(false);
        }

        var load = new LoadMonitor();
        var latency = options.Latency
            ? await LatencyRun.RunAsync(lineup.Contenders, options.Warmup, options.Runs, load, log, stop).ConfigureAwait(false)
            : [];
        var memory = options.Memory && !stop.IsCancellationRequested
            ? await MemoryRun.RunAsync(lineup.Contenders, options.MemoryContainers, options.MemoryRounds, load, log, stop).ConfigureAwait(false)
            : [];
        var keys = BenchOptions.ContenderKeys.Where(options.Contenders.Contains).ToList();
        return new BenchReport(options, keys, lineup.Skipped, latency, memory, machine, load, clock.Elapsed, stop.IsCancellationRequested);
    }
}
