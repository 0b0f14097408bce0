using System.Diagnostics;
using Berth.Benchmarks.ContainerStart.Measurement;

namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>The floor: the image's busybox started directly on the host, as <c>true</c>, with no isolation at all.</summary>
internal sealed class BareSpawnContender(BusyboxImage image) : IContender
{
    public string Key => "bare";

    public string Name => "bare spawn";

    public async Task<RunTiming> RunTrueAsync()
    {
        var cpu = CpuUsage.Now();
        using var child = await ChildProcess.StartAsync(DirectLauncher.Instance, image.HostTrue, [], drain: true).ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        var exited = Stopwatch.GetTimestamp();
        await child.SucceedAsync().ConfigureAwait(false);
        return new RunTiming(child.StartTimestamp, null, exited, exited, CpuUsage.Now() - cpu);
    }

    public async Task<IRunningService> StartSleeperAsync() =>
        new BareSleeper(await ChildProcess.StartAsync(DirectLauncher.Instance, image.HostSleep, BenchContainer.SleepCommand[1..], drain: false).ConfigureAwait(false));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class BareSleeper(ChildProcess child) : IRunningService
    {
        public int Pid => child.Pid;

        public async ValueTask DisposeAsync()
        {
            child.Kill();
            await child.WaitForExitAsync().ConfigureAwait(false);
            child.Dispose();
        }
    }
}
