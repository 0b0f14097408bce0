using System.Diagnostics;
using System.Globalization;
using Berth.Benchmarks.ContainerStart.Measurement;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>
/// Berth.Runtime with one init: the busybox image as an overlay root, and everything else the runtime's defaults
/// (all namespaces, every capability dropped, nobody, no_new_privs, the default seccomp profile), plus the
/// benchmark's cgroup limits.
/// </summary>
internal sealed class BerthContender : IContender
{
    private readonly ContainerRuntime _runtime;
    private readonly BusyboxImage _image;
    private readonly string _idPrefix;
    private int _sequence;

    public BerthContender(string key, string name, string initPath, BenchWorkspace workspace, BusyboxImage image)
    {
        Key = key;
        Name = name;
        _image = image;
        _idPrefix = key;
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions
        {
            InitPath = initPath,
            StateDirectory = workspace.BerthState,
            CgroupParent = workspace.BerthCgroupParent,
        });
    }

    public string Key { get; }

    public string Name { get; }

    public async Task<RunTiming> RunTrueAsync()
    {
        var spec = Spec(BenchContainer.TrueCommand);
        var cpu = CpuUsage.Now();
        var requested = Stopwatch.GetTimestamp();
        var container = await StartAsync(spec).ConfigureAwait(false);
        var running = Stopwatch.GetTimestamp();
        var cpuToRunning = CpuUsage.Now() - cpu;
        ContainerExit exit;
        long exited;
        try
        {
            exit = await container.Exited.ConfigureAwait(false);
            exited = Stopwatch.GetTimestamp();
        }
        finally
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }

        var removed = Stopwatch.GetTimestamp();
        var used = CpuUsage.Now() - cpu;
        return exit.ExitCode == 0
            ? new RunTiming(requested, running, exited, removed, used) { CpuToRunning = cpuToRunning }
            : throw new ContenderRunException($"container {spec.Id} ended with {exit}: {await container.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
    }

    public async Task<IRunningService> StartSleeperAsync() => new BerthSleeper(await StartAsync(Spec(BenchContainer.SleepCommand)).ConfigureAwait(false));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<Container> StartAsync(ContainerSpec spec)
    {
        try
        {
            return await _runtime.StartAsync(spec).ConfigureAwait(false);
        }
        catch (ContainerStartException e)
        {
            throw new ContenderRunException(e.Message);
        }
    }

    private ContainerSpec Spec(string[] command) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}-{++_sequence}"),
        Executable = command[0],
        Args = command[1..],
        Environment = new Dictionary<string, string> { ["PATH"] = BenchContainer.Path },
        Hostname = BenchContainer.Hostname,
        Root = DirectoryRootFilesystem.Of(_image.Root),
        Limits = BenchContainer.Limits,
    };

    private sealed class BerthSleeper(Container container) : IRunningService
    {
        public int Pid => container.Pid;

        public ValueTask DisposeAsync() => container.DisposeAsync();
    }
}
