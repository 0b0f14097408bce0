using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>
/// cgroup v2 against a directory that mimics a cgroup2 mount: detection, the values written to each interface file
/// and the parsing of what the kernel reports. (The kernel tests run on this v1 host.)
/// </summary>
public sealed class CgroupV2FileLayoutTests : IDisposable
{
    private const string Name = "web";
    private readonly FakeUnifiedHost _host = new(Name);

    public void Dispose() => _host.Dispose();

    [Fact]
    public void DetectionPicksV2()
    {
        var layout = CgroupLayout.Detect(_host.Root);

        Assert.Equal(CgroupMode.Unified, layout.Mode);
        Assert.Equal(_host.OwnDirectory, layout.Unified!.OwnDirectory);
        Assert.Contains("memory", layout.Unified.Controllers);
        Assert.True(new CgroupFactory(layout).IsUnified);
    }

    [Fact]
    public void CreateWritesLimitsAndDelegatesControllers()
    {
        var cgroup = Factory().Create(Name, new CgroupLimits(MemoryBytes: 256L * 1024 * 1024, CpuCores: 0.5, Pids: 100));

        Assert.Equal([_host.CgroupDirectory], cgroup.Directories);
        Assert.Equal("268435456", _host.Read("memory.max"));
        Assert.Equal("0", _host.Read("memory.swap.max"));
        Assert.Equal("50000 100000", _host.Read("cpu.max"));
        Assert.Equal("100", _host.Read("pids.max"));
        Assert.Equal("+memory +cpu +pids", File.ReadAllText(Path.Combine(_host.OwnDirectory, "cgroup.subtree_control")));
        Assert.Equal("+memory +cpu +pids", File.ReadAllText(Path.Combine(_host.ParentDirectory, "cgroup.subtree_control")));
    }

    [Fact]
    public void CreateWithoutLimitsWritesMax()
    {
        Factory().Create(Name, CgroupLimits.None);

        Assert.Equal("max", _host.Read("memory.max"));
        Assert.Equal("max", _host.Read("memory.swap.max"));
        Assert.Equal("max 100000", _host.Read("cpu.max"));
        Assert.Equal("max", _host.Read("pids.max"));
    }

    [Fact]
    public void CreateEnablesOnlyTheControllersNotYetEnabled()
    {
        // As the kernel shows it: names without '+', here after a systemd Delegate=yes that enabled some.
        File.WriteAllText(Path.Combine(_host.OwnDirectory, "cgroup.subtree_control"), "memory pids\n");
        File.WriteAllText(Path.Combine(_host.ParentDirectory, "cgroup.subtree_control"), "cpu memory pids\n");

        Factory().Create(Name, new CgroupLimits(CpuCores: 2));

        Assert.Equal("+cpu", File.ReadAllText(Path.Combine(_host.OwnDirectory, "cgroup.subtree_control")));
        Assert.Equal("cpu memory pids\n", File.ReadAllText(Path.Combine(_host.ParentDirectory, "cgroup.subtree_control")));
        Assert.Equal("200000 100000", _host.Read("cpu.max"));
    }

    [Fact]
    public void TheParentWeighsAsManyTasksAsItHoldsContainers()
    {
        // The kernel shows cpu.weight in berth once cpu is enabled in the own cgroup's subtree_control.
        var weight = Path.Combine(_host.ParentDirectory, "cpu.weight");
        File.WriteAllText(weight, "100\n");
        foreach (var sibling in new[] { "api", "db" })
            Directory.CreateDirectory(Path.Combine(_host.ParentDirectory, sibling));

        Factory().Create(Name, new CgroupLimits(CpuCores: 1));

        Assert.Equal("300", File.ReadAllText(weight));
    }

    [Fact]
    public void TheParentIsNotWeighedWithoutTheCpuController()
    {
        using var host = new FakeUnifiedHost(Name, controllers: "memory pids");
        var weight = Path.Combine(host.ParentDirectory, "cpu.weight");
        File.WriteAllText(weight, "100\n");
        Directory.CreateDirectory(Path.Combine(host.ParentDirectory, "db"));

        new CgroupFactory(CgroupLayout.Detect(host.Root)).Create(Name, CgroupLimits.None);

        Assert.Equal("100\n", File.ReadAllText(weight));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 100)]
    [InlineData(5, 500)]
    [InlineData(250, 10000)]
    public void AV2WeightStaysInTheKernelsRange(int containers, int weight) =>
        Assert.Equal(weight, CgroupParentWeight.V2.For(containers));

    [Theory]
    [InlineData(5, 5120)]
    [InlineData(1000, 262144)]
    public void AV1WeightStaysInTheKernelsRange(int containers, int shares) =>
        Assert.Equal(shares, CgroupParentWeight.V1.For(containers));

    [Fact]
    public void WithoutSwapAccountingNoSwapFileIsWritten()
    {
        _host.Remove("memory.swap.max");

        Factory().Create(Name, new CgroupLimits(MemoryBytes: 1L << 30));

        Assert.Equal("1073741824", _host.Read("memory.max"));
        Assert.False(File.Exists(Path.Combine(_host.CgroupDirectory, "memory.swap.max")));
    }

    [Fact]
    public void AControllerThatIsNotDelegatedCannotBeLimited()
    {
        using var host = new FakeUnifiedHost(Name, controllers: "memory pids");
        var factory = new CgroupFactory(CgroupLayout.Detect(host.Root));

        var error = Assert.Throws<CgroupException>(() => factory.Create(Name, new CgroupLimits(CpuCores: 1)));
        Assert.Contains("cpu controller", error.Message, StringComparison.Ordinal);

        // Without a CPU limit the cgroup is made with what is there, and cpu.max is left alone.
        factory.Create(Name, new CgroupLimits(MemoryBytes: 1L << 30));
        Assert.Equal("+memory +pids", File.ReadAllText(Path.Combine(host.ParentDirectory, "cgroup.subtree_control")));
        Assert.Equal("max 100000\n", host.Read("cpu.max"));
    }

    [Fact]
    public void AddProcessWritesThePid()
    {
        var cgroup = Factory().Create(Name, CgroupLimits.None);

        cgroup.AddProcess(4242);

        Assert.Equal("4242", _host.Read("cgroup.procs"));
    }

    [Fact]
    public void StatsParseTheKernelFiles()
    {
        var cgroup = Factory().Open(Name);
        _host.Write("memory.current", "1048576\n");
        _host.Write("memory.peak", "4194304\n");
        _host.Write("pids.current", "3\n");
        _host.Write("cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\n");

        var stats = cgroup.ReadStats();

        Assert.Equal(new CgroupStats(1048576, 4194304, TimeSpan.FromSeconds(1.5), 3), stats);
    }

    [Fact]
    public void StatsWithoutMemoryPeakHaveNoPeak()
    {
        _host.Remove("memory.peak"); // Linux before 5.19

        Assert.Null(Factory().Open(Name).ReadStats().MemoryPeakBytes);
    }

    [Fact]
    public void OomKilledReadsMemoryEvents()
    {
        var cgroup = Factory().Open(Name);
        Assert.False(cgroup.OomKilled);

        _host.Write("memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");

        Assert.True(cgroup.OomKilled);
    }

    [Fact]
    public async Task KillOfACgroupWithNoProcessWritesNothing()
    {
        var cgroup = Factory().Open(Name);
        var before = _host.Read("cgroup.kill");

        // The usual removal: the service has exited, nothing is left to kill or wait for.
        await cgroup.KillAsync();

        Assert.Equal(before, _host.Read("cgroup.kill"));
    }

    [Fact]
    public async Task KillWaitsUntilCgroupProcsIsEmpty()
    {
        var cgroup = Factory().Open(Name);
        _host.Write("cgroup.procs", "4242\n"); // never signalled: cgroup.kill does the killing

        var kill = cgroup.KillAsync();
        using (var patience = new CancellationTokenSource(GatedProcess.Patience))
        {
            while (_host.Read("cgroup.kill") != "1")
                await Task.Delay(1, patience.Token);
        }

        // cgroup.kill got 1 above; an empty list is the only way KillAsync succeeds, so completing now shows it
        // waited for this.
        _host.Write("cgroup.procs", string.Empty); // what the kernel shows once the process has died
        await kill.WaitAsync(GatedProcess.Patience);
    }

    [Fact]
    public async Task WithoutCgroupKillTheProcessesAreFrozenKilledAndThawed()
    {
        // A kernel before 5.14: no cgroup.kill. The process is this test's own child; once it is gone the fake
        // list is cleared, as the kernel would.
        _host.Remove("cgroup.kill");
        _host.Write("cgroup.events", "populated 1\nfrozen 1\n");
        using var sleeper = GatedProcess.Sleep();
        _host.Write("cgroup.procs", $"{sleeper.Pid}\n");
        var cgroup = Factory().Open(Name);

        var kill = cgroup.KillAsync();
        await sleeper.WaitForExitAsync();
        _host.Write("cgroup.procs", string.Empty);
        await kill.WaitAsync(GatedProcess.Patience);

        Assert.Equal(128 + 9, sleeper.ExitCode);
        Assert.Equal("0", _host.Read("cgroup.freeze"));
    }

    private CgroupFactory Factory() => new(CgroupLayout.Detect(_host.Root));
}
