using System.Diagnostics;
using Berth.Benchmarks.ImageStart.Contenders;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;
using Berth.Benchmarks.ImageStart.Report;

namespace Berth.Benchmarks.ImageStart;

/// <summary>
/// Time from an image to <c>/bin/true</c> run in a container of it and the container removed: the image not yet
/// unpacked (cold) and already unpacked (cached), with Berth's image store and runtime, Podman, and umoci with runc,
/// and a bare spawn as the floor. Progress goes to standard error, the markdown report to standard output.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BenchMain.RunAsync<ImageBenchOptions, ImageBenchWorkspace, ImageReport>(
        args,
        ImageBenchOptions.Usage,
        ImageBenchOptions.Parse,
        "Run as root: containers need namespaces, mounts and cgroups, and image layers keep their owners.",
        RunAsync,
        MarkdownImageReport.Write);

    private static async Task<ImageReport> RunAsync(ImageBenchOptions options, ImageBenchWorkspace workspace, TextWriter log, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var machine = ImageMachine.Describe(workspace);
        var images = await BenchImages.CreateAsync(workspace, options.Images, log).ConfigureAwait(false);
        await using var lineup = ImageContenderLineup.Create(options, workspace);
        foreach (var (key, reason) in lineup.Skipped)
        {
            await log.WriteLineAsync($"Skipping {key}: {reason}").ConfigureAwait(false);
        }

        await lineup.PrepareAsync(images, log).ConfigureAwait(false);
        var leftovers = new LeftoverCheck(workspace, lineup.Contenders);
        var loadAtStart = ImageMachine.LoadAverages();
        var load = new LoadMonitor();
        var results = await ImageRounds.RunAsync(lineup.Contenders, images, options, leftovers, load, log, stop).ConfigureAwait(false);
        return new ImageReport(
            options,
            images,
            [.. lineup.Contenders.Select(c => new ContenderDescription(c.Key, c.Name, c.Timed))],
            lineup.Skipped,
            results,
            leftovers,
            machine,
            load,
            loadAtStart,
            ImageMachine.LoadAverages(),
            clock.Elapsed,
            stop.IsCancellationRequested);
    }
}
