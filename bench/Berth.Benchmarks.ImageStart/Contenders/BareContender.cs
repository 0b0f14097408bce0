using System.Diagnostics;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>The floor: the host's busybox (the binary the images hold) started as <c>busybox true</c>, no container, no image.</summary>
internal sealed class BareContender : IImageContender
{
    private readonly string _busybox = BusyboxTree.FindStaticBusybox();

    public string Key => "bare";

    public string Name => "bare spawn";

    public string Timed => "`Process.Start` of the host's `busybox true` until its exit is seen";

    public Task PrepareAsync(BenchImage image) => Task.CompletedTask;

    public async Task<ImageRunTiming> RunAsync(BenchImage image)
    {
        var cpu = CpuUsage.Now();
        var start = Stopwatch.GetTimestamp();
        using var child = await ChildProcess.StartAsync(DirectLauncher.Instance, _busybox, ["true"], drain: true).ConfigureAwait(false);
        await child.SucceedAsync().ConfigureAwait(false);
        return new ImageRunTiming(TimeSpan.Zero, Stopwatch.GetElapsedTime(start), CpuUsage.Now() - cpu);
    }

    public Task ResetAsync(BenchImage image) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
