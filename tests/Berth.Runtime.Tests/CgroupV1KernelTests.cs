using System.Globalization;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>
/// cgroup v1 against the real kernel of this (legacy or hybrid) host: every cgroup is created under this process's
/// own cgroup, named uniquely, and deleted in a finally (through <c>await using</c>) even when an assertion fails.
/// </summary>
public sealed class CgroupV1KernelTests
{
    private const long MiB = 1024 * 1024;

    private static readonly CgroupLayout Layout = CgroupLayout.Detect();

    [Fact]
    public async Task CreateWritesTheLimitsToTheKernelFiles()
    {
        var factory = V1Factory();
        await using var cgroup = factory.Create(UniqueName(), new CgroupLimits(MemoryBytes: 64 * MiB, CpuCores: 0.5, Pids: 20));

        var memory = DirectoryOf(cgroup, "memory");
        Assert.Equal(64 * MiB, ReadNumber(memory, "memory.limit_in_bytes"));
        if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
            Assert.Equal(64 * MiB, ReadNumber(memory, "memory.memsw.limit_in_bytes"));

        var cpu = DirectoryOf(cgroup, "cpu");
        Assert.Equal(100_000, ReadNumber(cpu, "cpu.cfs_period_us"));
        Assert.Equal(50_000, ReadNumber(cpu, "cpu.cfs_quota_us"));

        Assert.Equal("20", ReadText(DirectoryOf(cgroup, "pids"), "pids.max"));
        foreach (var controller in CgroupV1.Controllers.Where(c => Layout.LegacyHierarchyOf(c) is not null))
            Assert.True(Directory.Exists(DirectoryOf(cgroup, controller)), controller);
    }

    [Fact]
    public async Task SetLimitsWithNoneResetsToUnlimited()
    {
        await using var cgroup = V1Factory().Create(UniqueName(), new CgroupLimits(MemoryBytes: 32 * MiB, CpuCores: 1, Pids: 5));

        cgroup.SetLimits(CgroupLimits.None);

        Assert.True(ReadNumber(DirectoryOf(cgroup, "memory"), "memory.limit_in_bytes") > 1L << 60);
        Assert.Equal(-1, ReadNumber(DirectoryOf(cgroup, "cpu"), "cpu.cfs_quota_us"));
        Assert.Equal("max", ReadText(DirectoryOf(cgroup, "pids"), "pids.max"));
    }

    [Fact]
    public async Task AddProcessMovesItIntoEveryHierarchyAndStatsCountIt()
    {
        using var sleeper = GatedProcess.Sleep();
        await using var cgroup = V1Factory().Create(UniqueName(), new CgroupLimits(MemoryBytes: 64 * MiB, Pids: 10));

        cgroup.AddProcess(sleeper.Pid);

        Assert.Equal([sleeper.Pid], cgroup.ReadProcessIds());
        foreach (var directory in cgroup.Directories)
            Assert.Contains(Pid(sleeper.Pid), File.ReadAllLines(Path.Combine(directory, "cgroup.procs")));

        // The kernel's own view of the process agrees, hierarchy by hierarchy.
        var membership = File.ReadAllLines($"/proc/{sleeper.Pid}/cgroup");
        foreach (var controller in new[] { "memory", "cpu", "pids" })
        {
            var line = Assert.Single(membership, l => l.Split(':')[1].Split(',').Contains(controller));
            Assert.EndsWith($"/berth/{cgroup.Name}", line, StringComparison.Ordinal);
        }

        var stats = cgroup.ReadStats();
        Assert.True(stats.PidsCurrent >= 1, $"pids current {stats.PidsCurrent}");
        Assert.True(stats.MemoryCurrentBytes >= 0);
        Assert.NotNull(stats.MemoryPeakBytes);
        Assert.False(cgroup.OomKilled);
    }

    [Fact]
    public async Task MemoryLimitOomKillsAnAllocator()
    {
        // dd allocates a 64 MiB buffer and fills it from /dev/zero, touching every page.
        using var dd = GatedProcess.Start("exec dd if=/dev/zero of=/dev/null bs=64M count=1");
        await using var cgroup = V1Factory().Create(UniqueName(), new CgroupLimits(MemoryBytes: 16 * MiB));
        cgroup.AddProcess(dd.Pid);
        Assert.False(cgroup.OomKilled);

        dd.Release();
        await dd.WaitForExitAsync();

        Assert.Equal(128 + 9, dd.ExitCode); // SIGKILL from the OOM killer
        Assert.True(cgroup.OomKilled);
        var oomControl = ReadText(DirectoryOf(cgroup, "memory"), "memory.oom_control");
        Assert.Contains("oom_kill 1", oomControl, StringComparison.Ordinal);
        var stats = cgroup.ReadStats();
        Assert.True(stats.MemoryPeakBytes <= 16 * MiB, $"peak {stats.MemoryPeakBytes}");
    }

    [Fact]
    public async Task PidsLimitStopsAForkLoopAndTheHostCarriesOn()
    {
        // Forty background sleeps; the shell itself takes one of the eight slots. Their output goes to /dev/null
        // so only the shell holds this test's pipes.
        using var shell = GatedProcess.Start(
            "i=0; while [ $i -lt 40 ]; do /bin/sleep 30 </dev/null >/dev/null 2>&1 & i=$((i+1)); done");
        await using var cgroup = V1Factory().Create(UniqueName(), new CgroupLimits(Pids: 8));
        cgroup.AddProcess(shell.Pid);

        shell.Release();
        await shell.WaitForExitAsync();

        var pids = DirectoryOf(cgroup, "pids");
        Assert.True(ReadNumber(pids, "pids.current") <= 8);
        Assert.True(cgroup.ReadProcessIds().Count is > 0 and < 8);

        // pids.events counts the forks refused at pids.max.
        var events = ReadText(pids, "pids.events");
        var refused = long.Parse(events.Split(' ', StringSplitOptions.TrimEntries)[1], CultureInfo.InvariantCulture);
        Assert.True(refused > 0, events);

        using var host = System.Diagnostics.Process.Start("/bin/true")!;
        await host.WaitForExitAsync();
        Assert.Equal(0, host.ExitCode);

        // The orphaned sleeps are not this test's children: only the cgroup can find them. Delete must.
        await cgroup.DeleteAsync();
        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d)));
    }

    [Fact]
    public async Task CpuQuotaThrottlesABusyLoop()
    {
        using var busy = GatedProcess.Start("while :; do :; done");
        await using var cgroup = V1Factory().Create(UniqueName(), new CgroupLimits(CpuCores: 0.1));
        cgroup.AddProcess(busy.Pid);
        var cpu = DirectoryOf(cgroup, "cpu");
        Assert.Equal(10_000, ReadNumber(cpu, "cpu.cfs_quota_us"));

        busy.Release();

        // The loop exhausts its 10 ms quota in its first period; the scheduler then throttles the cgroup and counts
        // it in cpu.stat. Waiting for that count is an event, not a timing: it comes as soon as the quota bites.
        // throttled_time grows only when a throttled period ends, which on a loaded machine comes a little later
        // than the count, so the wait is for both.
        using var patience = new CancellationTokenSource(GatedProcess.Patience);
        while (ReadKeyed(cpu, "cpu.stat") is var stat && (stat["nr_throttled"] == 0 || stat["throttled_time"] == 0))
            await Task.Delay(10, patience.Token);

        Assert.True(cgroup.ReadStats().CpuUsage > TimeSpan.Zero);
    }

    [Fact]
    public async Task DeleteKillsTheProcessesAndRemovesEveryDirectoryAndTheEmptyParent()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{UniqueName()}";
        var factory = V1Factory(parent);
        using var sleeper = GatedProcess.Sleep();
        var cgroup = factory.Create("app", new CgroupLimits(MemoryBytes: 64 * MiB, CpuCores: 1, Pids: 10));
        try
        {
            cgroup.AddProcess(sleeper.Pid);

            await cgroup.DeleteAsync();

            await sleeper.WaitForExitAsync();
            Assert.Equal(128 + 9, sleeper.ExitCode);
            Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
            Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(Path.GetDirectoryName(d)), d));
            await cgroup.DeleteAsync(); // a second delete is a no-op
        }
        finally
        {
            await cgroup.DisposeAsync();
        }
    }

    [Fact]
    public async Task EachParentLevelWeighsAsManyTasksAsItHoldsContainers()
    {
        // berth/test-…/{a,b,c}: the stack's level weighs three tasks (3 × 1024 shares), berth at least that
        // (other stacks may run beside), and a removed container's weight goes with it.
        var stack = UniqueName();
        var factory = V1Factory($"{RuntimePaths.CgroupParentName}/{stack}");
        var cpu = Layout.LegacyHierarchyOf("cpu")!.OwnDirectory;
        var berthLevel = Path.Combine(cpu, RuntimePaths.CgroupParentName);
        var stackLevel = Path.Combine(berthLevel, stack);

        await using var a = factory.Create("a", CgroupLimits.None);
        Assert.Equal(1024, ReadNumber(stackLevel, "cpu.shares"));
        await using var b = factory.Create("b", new CgroupLimits(CpuCores: 1));
        await using var c = factory.Create("c", CgroupLimits.None);
        Assert.Equal(3072, ReadNumber(stackLevel, "cpu.shares"));
        Assert.True(ReadNumber(berthLevel, "cpu.shares") >= 3072);

        await b.DeleteAsync();
        Assert.Equal(2048, ReadNumber(stackLevel, "cpu.shares"));
    }

    [Fact]
    public async Task CreateTakesOverAnEmptyLeftoverButNotAPopulatedCgroup()
    {
        var factory = V1Factory();
        var name = UniqueName();
        using var sleeper = GatedProcess.Sleep();
        await using var first = factory.Create(name, CgroupLimits.None);

        // Same name, nothing inside: taken over (as after a crash between mkdir and rmdir), limits written.
        await using var second = factory.Create(name, new CgroupLimits(Pids: 3));
        Assert.Equal("3", ReadText(DirectoryOf(second, "pids"), "pids.max"));

        first.AddProcess(sleeper.Pid);
        var refused = Assert.Throws<CgroupException>(() => factory.Create(name, CgroupLimits.None));
        Assert.Contains(Pid(sleeper.Pid), refused.Message, StringComparison.Ordinal);
        Assert.Equal([sleeper.Pid], first.ReadProcessIds()); // the refused Create did not undo the live cgroup
    }

    [Fact]
    public void ALimitTheKernelRefusesUndoesTheCreate()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{UniqueName()}";
        var factory = V1Factory(parent);

        // A quota above the kernel's maximum (2^44 us) is refused with EINVAL, after the directories were made.
        var error = Assert.Throws<CgroupException>(() => factory.Create("app", new CgroupLimits(CpuCores: 1e9)));

        Assert.Equal(Tmds.Linux.LibC.EINVAL, error.Errno);
        Assert.Contains("cpu.cfs_quota_us", error.Message, StringComparison.Ordinal);
        Assert.All(CgroupV1.OwnDirectories(Layout), own => Assert.False(Directory.Exists(Path.Combine(own, parent)), own));
    }

    [Fact]
    public async Task AddingAnExitedProcessFails()
    {
        await using var cgroup = V1Factory().Create(UniqueName(), CgroupLimits.None);
        using var done = System.Diagnostics.Process.Start("/bin/true")!;
        await done.WaitForExitAsync();

        var error = Assert.Throws<CgroupException>(() => cgroup.AddProcess(done.Id));
        Assert.Equal(Tmds.Linux.LibC.ESRCH, error.Errno);
    }

    internal static CgroupFactory V1Factory(string parent = RuntimePaths.CgroupParentName)
    {
        Assert.True(Layout.Mode is CgroupMode.Legacy or CgroupMode.Hybrid, $"These tests need a cgroup v1 host, found {Layout}");
        var factory = new CgroupFactory(Layout, parent);
        Assert.False(factory.IsUnified);
        return factory;
    }

    internal static string UniqueName() => $"test-{Guid.NewGuid():N}";

    internal static string DirectoryOf(Cgroup cgroup, string controller) =>
        Path.Combine(Layout.LegacyHierarchyOf(controller)!.OwnDirectory, cgroup.Parent, cgroup.Name);

    private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static string ReadText(string directory, string file) => File.ReadAllText(Path.Combine(directory, file)).Trim();

    private static long ReadNumber(string directory, string file) =>
        long.Parse(ReadText(directory, file), CultureInfo.InvariantCulture);

    private static Dictionary<string, long> ReadKeyed(string directory, string file) =>
        File.ReadAllLines(Path.Combine(directory, file))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
}
