using System.Diagnostics;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests;

/// <summary>Many containers come and go and leave nothing behind: no state, cgroup, process, descriptor or thread.</summary>
[Collection(ProcessWideCollection.Name)]
public sealed class ContainerLeakTests : IDisposable
{
    private const int Cycles = 200;

    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly string _cgroupParent = $"berth/test-{Guid.NewGuid():N}";

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task TwoHundredStartStopCyclesLeaveNothingBehind()
    {
        var runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = _cgroupParent });

        // One cycle first, so that what the runtime starts once (its process machinery) is not counted as a leak.
        await RunOnce(runtime, "warm-up");
        var descriptors = Directory.GetFiles("/proc/self/fd").Length;
        var threads = Process.GetCurrentProcess().Threads.Count;

        for (var i = 0; i < Cycles; i++)
        {
            await RunOnce(runtime, $"cycle-{i}");
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_stateDirectory, "containers")));
        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), _cgroupParent).ListNames());
        Assert.Empty(ChildProcesses());

        // Thread pool and timers may grow a little on their own; a leak of one per cycle would be far above this.
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, descriptors + 10);
        Assert.InRange(Process.GetCurrentProcess().Threads.Count, 0, threads + 10);
    }

    private static async Task RunOnce(ContainerRuntime runtime, string id)
    {
        await using var container = await runtime.StartAsync(new ContainerSpec { Id = id, Executable = "/bin/true" });
        var exit = await container.Exited;
        Assert.Equal(0, exit.ExitCode);
    }

    /// <summary>Processes whose parent is this one (containers' first processes would be).</summary>
    private static List<int> ChildProcesses()
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == self)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return children;
    }
}
