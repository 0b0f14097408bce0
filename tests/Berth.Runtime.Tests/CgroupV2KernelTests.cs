using System.Globalization;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>
/// The v2 implementation against the real kernel, on this hybrid host's cgroup2 mount. That hierarchy carries no
/// memory, cpu or pids controller (they are bound to v1), but the cgroup2 core is all there: mkdir/rmdir,
/// <c>cgroup.procs</c>, <c>cgroup.kill</c>, <c>cgroup.freeze</c>, <c>cgroup.events</c> and <c>cpu.stat</c>. So
/// creation, membership, the kill and the delete run for real; the limit files are covered by the file-layout tests.
/// </summary>
public sealed class CgroupV2KernelTests
{
    [Fact]
    public async Task ProcessesJoinAndCgroupKillEndsThem()
    {
        await using var cgroup = Factory().Create(CgroupV1KernelTests.UniqueName(), CgroupLimits.None);
        using var sleeper = GatedProcess.Sleep();

        cgroup.AddProcess(sleeper.Pid);

        Assert.Equal([sleeper.Pid], cgroup.ReadProcessIds());
        Assert.Contains($"0::/{cgroup.Parent}/{cgroup.Name}", File.ReadAllLines($"/proc/{sleeper.Pid}/cgroup"));
        Assert.True(File.Exists(Path.Combine(cgroup.Directories[0], "cgroup.kill")), "cgroup.kill (Linux 5.14+)");

        await cgroup.KillAsync();

        await sleeper.WaitForExitAsync();
        Assert.Equal(128 + 9, sleeper.ExitCode);
        Assert.Empty(cgroup.ReadProcessIds());
        Assert.Contains("populated 0", File.ReadAllText(Path.Combine(cgroup.Directories[0], "cgroup.events")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CgroupKillCatchesAForkLoop()
    {
        // A shell that forks sleeps without end: a signal-each-pid kill could always miss the newest child, the
        // kernel's cgroup.kill cannot.
        using var forker = GatedProcess.Start("while :; do /bin/sleep 30 </dev/null >/dev/null 2>&1 & done");
        var cgroup = Factory().Create(CgroupV1KernelTests.UniqueName(), CgroupLimits.None);
        try
        {
            cgroup.AddProcess(forker.Pid);
            forker.Release();
            using (var patience = new CancellationTokenSource(GatedProcess.Patience))
            {
                while (cgroup.ReadProcessIds().Count < 20)
                    await Task.Delay(1, patience.Token);
            }

            await cgroup.DeleteAsync();

            await forker.WaitForExitAsync();
            Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
        }
        finally
        {
            await cgroup.DisposeAsync();
        }
    }

    [Fact]
    public async Task StatsComeFromTheCoreCpuStat()
    {
        using var busy = GatedProcess.Start("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done");
        await using var cgroup = Factory().Create(CgroupV1KernelTests.UniqueName(), CgroupLimits.None);
        cgroup.AddProcess(busy.Pid);

        busy.Release();
        await busy.WaitForExitAsync();

        var stats = cgroup.ReadStats();
        Assert.True(stats.CpuUsage > TimeSpan.Zero, $"cpu usage {stats.CpuUsage}");
        Assert.Equal(0, stats.PidsCurrent); // no pids controller in this hierarchy
        Assert.False(cgroup.OomKilled);
    }

    [Fact]
    public void LimitsNeedControllersThisHierarchyDoesNotHave()
    {
        var error = Assert.Throws<CgroupException>(
            () => Factory().Create(CgroupV1KernelTests.UniqueName(), new CgroupLimits(MemoryBytes: 1L << 30)));

        Assert.Contains("memory controller", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRemovesTheCgroupAndItsEmptyParentLevel()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        var factory = Factory(parent);
        using var sleeper = GatedProcess.Sleep();
        var cgroup = factory.Create("app", CgroupLimits.None);
        try
        {
            cgroup.AddProcess(sleeper.Pid);

            await cgroup.DeleteAsync();

            await sleeper.WaitForExitAsync();
            Assert.False(Directory.Exists(cgroup.Directories[0]));
            Assert.False(Directory.Exists(Path.GetDirectoryName(cgroup.Directories[0])));
        }
        finally
        {
            await cgroup.DisposeAsync();
        }
    }

    [Fact]
    public async Task JanitorRemovesAnEmptyLeftoverAndLeavesOneWithAProcess()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        using var stranger = GatedProcess.Sleep();
        await using var abandoned = Factory(parent).Create("abandoned", CgroupLimits.None);
        await using var takenOver = Factory(parent).Create("taken-over", CgroupLimits.None);
        takenOver.AddProcess(stranger.Pid);

        var removed = await new CgroupJanitor(Factory(parent)).RemoveLeftoversAsync(_ => true);

        Assert.Equal(["abandoned"], removed);
        Assert.False(Directory.Exists(abandoned.Directories[0]));
        Assert.True(Directory.Exists(takenOver.Directories[0]));
        Assert.Equal([stranger.Pid], takenOver.ReadProcessIds());
        Assert.False(stranger.HasExited);
    }

    /// <summary>This host's cgroup2 mount alone, as a unified host would show it to Berth.</summary>
    private static CgroupFactory Factory(string parent = RuntimePaths.CgroupParentName)
    {
        var host = CgroupLayout.Detect();
        var unified = host.Unified ?? throw new InvalidOperationException($"No cgroup2 mount on this host: {host}");
        var mountInfo = string.Create(
            CultureInfo.InvariantCulture,
            $"41 31 0:38 / {unified.MountPoint} rw,relatime - cgroup2 cgroup2 rw\n");
        var layout = CgroupLayout.Parse(mountInfo, $"0::{unified.OwnPath}\n", "/");
        Assert.Equal(CgroupMode.Unified, layout.Mode);
        return new CgroupFactory(layout, parent);
    }
}
