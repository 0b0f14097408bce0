using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests;

/// <summary>
/// Many containers come and go and leave nothing behind: no state, cgroup, process, descriptor or thread, also when
/// the host made sockets in their networks.
/// </summary>
[Collection(LeakCollection.Name)]
public sealed class ContainerLeakTests : IDisposable
{
    private const int Cycles = 200;

    // Each keeps a service running while the host listens and connects inside, and kills it: fewer suffice.
    private const int NetworkedCycles = 50;

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
    public Task TwoHundredStartStopCyclesLeaveNothingBehind() => AssertCyclesLeaveNothingBehind(Cycles, RunOnce);

    [Fact]
    public Task ContainersWhoseNetworksWereUsedLeaveNothingBehind() => AssertCyclesLeaveNothingBehind(NetworkedCycles, RunNetworkedOnce);

    /// <summary>
    /// Processes exec'd into one container, each with its output captured, every other one failing (a missing
    /// program): none leaves a process, descriptor, thread or socket file behind, in the host or in the container.
    /// </summary>
    [Fact]
    public async Task ExecsLeaveNothingBehind()
    {
        var runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = _cgroupParent });
        await using var container = await runtime.StartAsync(new ContainerSpec { Id = "execs", Executable = "/bin/sleep", Args = ["300"] });
        await ExecOnceAsync(container, 0);
        var descriptors = Directory.GetFiles("/proc/self/fd").Length;
        var threads = Process.GetCurrentProcess().Threads.Count;

        var pids = new List<int>();
        for (var i = 1; i <= Cycles; i++)
        {
            pids.AddRange(await ExecOnceAsync(container, i));
        }

        Assert.Equal(Cycles / 2, pids.Count);
        Assert.Empty(ChildProcesses().Intersect(pids));
        Assert.Equal(1, container.ReadStats().PidsCurrent);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_stateDirectory, "containers", "execs"), "exec-*"));
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, descriptors + 10);
        Assert.InRange(Process.GetCurrentProcess().Threads.Count, 0, threads + 10);
    }

    private static async Task<int[]> ExecOnceAsync(Container container, int cycle)
    {
        using var output = new OutputCapture();
        if (cycle % 2 == 1)
        {
            await Assert.ThrowsAsync<ContainerExecException>(() => container.ExecAsync(new ExecSpec("/no/such/program", [])));
            return [];
        }

        await using var exec = await container.ExecAsync(new ExecSpec("/bin/echo", [$"cycle {cycle}"]) { StandardOutput = output.WriteEnd });
        Assert.Equal(0, (await exec.Exited).ExitCode);
        Assert.Equal($"cycle {cycle}\n", (await output.StopAsync()).Text);
        return [exec.Pid];
    }

    /// <summary>Runs the cycles; each returns its container's first PID.</summary>
    private async Task AssertCyclesLeaveNothingBehind(int cycles, Func<ContainerRuntime, string, Task<int>> runOnce)
    {
        var runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = _cgroupParent });

        // One cycle first, so that what the runtime starts once (its process machinery) is not counted as a leak.
        await runOnce(runtime, "warm-up");
        var descriptors = Directory.GetFiles("/proc/self/fd").Length;
        var threads = Process.GetCurrentProcess().Threads.Count;

        var pids = new List<int>();
        for (var i = 0; i < cycles; i++)
        {
            pids.Add(await runOnce(runtime, $"cycle-{i}"));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_stateDirectory, "containers")));
        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), _cgroupParent).ListNames());

        // Other test classes run containers meanwhile: only these cycles' processes must be gone.
        Assert.Empty(ChildProcesses().Intersect(pids));

        // Thread pool and timers may grow a little on their own; a leak of one per cycle would be far above this.
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, descriptors + 10);
        Assert.InRange(Process.GetCurrentProcess().Threads.Count, 0, threads + 10);
    }

    /// <summary>
    /// A listener inside, a connection to it through the network, a byte each way; the same through a steered
    /// listener (its program, map and link are the container's); then everything is disposed.
    /// </summary>
    private static async Task<int> RunNetworkedOnce(ContainerRuntime runtime, string id)
    {
        await using var container = await runtime.StartAsync(new ContainerSpec { Id = id, Executable = "/bin/sleep", Args = ["300"] });
        using var listener = container.Network.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await ExchangeOneByteAsync(container, listener, listener.LocalEndPoint!);

        var steeredTo = new IPEndPoint(IPAddress.Parse("127.0.1.5"), 8080);
        using var steered = container.Network.ListenSteered(steeredTo);
        await ExchangeOneByteAsync(container, steered, steeredTo);
        return container.Pid;
    }

    private static async Task ExchangeOneByteAsync(Container container, Socket listener, EndPoint connectTo)
    {
        var accept = listener.AcceptAsync();
        using var client = await container.Network.ConnectAsync(connectTo);
        using var server = await accept;
        await client.SendAsync(new byte[] { 1 });
        Assert.Equal(1, await server.ReceiveAsync(new byte[1]));
    }

    private static async Task<int> RunOnce(ContainerRuntime runtime, string id)
    {
        await using var container = await runtime.StartAsync(new ContainerSpec { Id = id, Executable = "/bin/true" });
        var exit = await container.Exited;
        Assert.Equal(0, exit.ExitCode);
        return container.Pid;
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
