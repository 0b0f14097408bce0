using System.Diagnostics;
using System.Globalization;
using Berth.Benchmarks.ContainerStart.Measurement;

namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>
/// crun or runc on the busybox image: <c>run</c> in the foreground for <c>/bin/true</c> (it creates, starts, waits
/// and deletes), <c>run --detach</c> for a sleeper (the runtime exits and leaves only the container's process).
/// </summary>
internal sealed class OciContender : IContender
{
    private readonly OciRuntime _runtime;
    private readonly OciBundle _trueBundle;
    private readonly OciBundle _sleepBundle;
    private readonly string _cgroupParent;
    private readonly IDisposable? _launcher;
    private int _sequence;

    private OciContender(OciRuntime runtime, OciBundle trueBundle, OciBundle sleepBundle, string cgroupParent, IDisposable? launcher)
    {
        _runtime = runtime;
        _trueBundle = trueBundle;
        _sleepBundle = sleepBundle;
        _cgroupParent = cgroupParent;
        _launcher = launcher;
    }

    public string Key => _runtime.Name;

    public string Name => $"`{_runtime.Name} run`";

    /// <summary>Bundles for <c>true</c> and <c>sleep</c> in the runtime's directory of the workspace.</summary>
    public static async Task<OciContender> CreateAsync(OciRuntime runtime, string directory, BusyboxImage image, string cgroupParent, IDisposable? launcher)
    {
        var trueBundle = await OciBundle.CreateAsync(runtime, Path.Combine(directory, "true"), image.Root, BenchContainer.TrueCommand).ConfigureAwait(false);
        var sleepBundle = await OciBundle.CreateAsync(runtime, Path.Combine(directory, "sleep"), image.Root, BenchContainer.SleepCommand).ConfigureAwait(false);
        return new OciContender(runtime, trueBundle, sleepBundle, $"{cgroupParent}/{runtime.Name}", launcher);
    }

    public async Task<RunTiming> RunTrueAsync()
    {
        var id = NextId();
        _trueBundle.PrepareFor($"{_cgroupParent}/{id}");
        var cpu = CpuUsage.Now();
        using var child = await _runtime.StartAsync(drain: true, "run", "--bundle", _trueBundle.Directory, id).ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        var exited = Stopwatch.GetTimestamp();
        await child.SucceedAsync().ConfigureAwait(false);
        return new RunTiming(child.StartTimestamp, null, exited, exited, CpuUsage.Now() - cpu);
    }

    public async Task<IRunningService> StartSleeperAsync()
    {
        var id = NextId();
        _sleepBundle.PrepareFor($"{_cgroupParent}/{id}");
        var pidFile = Path.Combine(_sleepBundle.Directory, $"{id}.pid");

        // Not drained: the container inherits the runtime's standard streams and keeps them open.
        using (var child = await _runtime.StartAsync(drain: false, "run", "--detach", "--pid-file", pidFile, "--bundle", _sleepBundle.Directory, id).ConfigureAwait(false))
        {
            await child.SucceedAsync().ConfigureAwait(false);
        }

        var pid = int.Parse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        return new OciSleeper(_runtime, id, pid);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _runtime.DeleteAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _launcher?.Dispose();
        }
    }

    private string NextId() => string.Create(CultureInfo.InvariantCulture, $"{_runtime.Name}-{++_sequence}");

    private sealed class OciSleeper(OciRuntime runtime, string id, int pid) : IRunningService
    {
        public int Pid => pid;

        public async ValueTask DisposeAsync() => await runtime.RunAsync("delete", "--force", id).ConfigureAwait(false);
    }
}
