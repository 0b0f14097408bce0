using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

public sealed class CgroupLayoutTests : IDisposable
{
    // An empty root: the samples' mount points lead to no files, so nothing of the real host is read.
    private readonly string _root = Directory.CreateTempSubdirectory("berth-layout-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ThisMachineSampleIsHybridWithLimitsInV1()
    {
        var layout = CgroupLayout.Parse(MountInfoSamples.ThisMachineMountInfo, MountInfoSamples.ThisMachineCgroup, _root);

        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        Assert.Equal(
            $"{_root}/sys/fs/cgroup/memory/process_api/ff8956a0d792e3a3661850918c8d2c2e",
            layout.LegacyHierarchyOf("memory")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/cpu", layout.LegacyHierarchyOf("cpu")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/cpuacct", layout.LegacyHierarchyOf("cpuacct")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/pids", layout.LegacyHierarchyOf("pids")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/freezer", layout.LegacyHierarchyOf("freezer")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/unified", layout.Unified!.OwnDirectory);
        Assert.Empty(layout.Unified.Controllers);

        // The named systemd hierarchy is tracked but carries no controller.
        var systemd = Assert.Single(layout.Hierarchies, h => h.MountPoint == "/sys/fs/cgroup/systemd");
        Assert.Empty(systemd.Controllers);
        Assert.False(new CgroupFactory(layout).IsUnified);
    }

    [Fact]
    public void LegacySampleSharesOneDirectoryForCoMountedControllers()
    {
        var layout = CgroupLayout.Parse(MountInfoSamples.LegacyMountInfo, MountInfoSamples.LegacyCgroup, _root);

        Assert.Equal(CgroupMode.Legacy, layout.Mode);
        Assert.Null(layout.Unified);
        var cpu = layout.LegacyHierarchyOf("cpu")!;
        Assert.Same(cpu, layout.LegacyHierarchyOf("cpuacct"));
        Assert.Equal(["cpu", "cpuacct"], cpu.Controllers);
        Assert.Equal($"{_root}/sys/fs/cgroup/cpu,cpuacct/system.slice/stack.service", cpu.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/freezer", layout.LegacyHierarchyOf("freezer")!.OwnDirectory);
        Assert.Null(layout.LegacyHierarchyOf("blkio"));
    }

    [Fact]
    public void HybridSampleWithControllerLessCgroup2IsHybrid()
    {
        var layout = CgroupLayout.Parse(MountInfoSamples.HybridMountInfo, MountInfoSamples.HybridCgroup, _root);

        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        Assert.Equal($"{_root}/sys/fs/cgroup/unified/system.slice/stack.service", layout.Unified!.OwnDirectory);
        Assert.Equal(
            $"{_root}/sys/fs/cgroup/memory/system.slice/stack.service",
            layout.LegacyHierarchyOf("memory")!.OwnDirectory);
    }

    [Fact]
    public void UnifiedSampleReadsControllersOfTheOwnCgroup()
    {
        var own = Directory.CreateDirectory(Path.Combine(_root, "sys/fs/cgroup/system.slice/stack.service")).FullName;
        File.WriteAllText(Path.Combine(_root, "sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "cpu memory pids\n");

        var layout = CgroupLayout.Parse(MountInfoSamples.UnifiedMountInfo, MountInfoSamples.UnifiedCgroup, _root);

        Assert.Equal(CgroupMode.Unified, layout.Mode);
        var unified = Assert.Single(layout.Hierarchies);
        Assert.Same(unified, layout.Unified);
        Assert.Equal(own, unified.OwnDirectory);
        Assert.Equal(["cpu", "memory", "pids"], unified.Controllers);
        Assert.Null(layout.LegacyHierarchyOf("memory"));
        Assert.True(new CgroupFactory(layout).IsUnified);
    }

    [Fact]
    public void ContainerMountRootIsStrippedFromTheCgroupPath()
    {
        var layout = CgroupLayout.Parse(
            MountInfoSamples.ContainerLegacyMountInfo, MountInfoSamples.ContainerLegacyCgroup, _root);

        Assert.Equal(CgroupMode.Legacy, layout.Mode);
        Assert.Equal($"{_root}/sys/fs/cgroup/memory/inner", layout.LegacyHierarchyOf("memory")!.OwnDirectory);
        Assert.Equal($"{_root}/sys/fs/cgroup/pids", layout.LegacyHierarchyOf("pids")!.OwnDirectory);
        Assert.Equal("/docker/4f1c/inner", layout.LegacyHierarchyOf("memory")!.OwnPath);
    }

    [Fact]
    public void EscapedMountPointIsUnescaped()
    {
        const string mountInfo = "35 31 0:32 / /sys/fs/cgroup/my\\040memory rw,relatime - cgroup cgroup rw,memory\n";

        var layout = CgroupLayout.Parse(mountInfo, "4:memory:/a\n", _root);

        Assert.Equal("/sys/fs/cgroup/my memory", layout.LegacyHierarchyOf("memory")!.MountPoint);
        Assert.Equal($"{_root}/sys/fs/cgroup/my memory/a", layout.LegacyHierarchyOf("memory")!.OwnDirectory);
    }

    [Fact]
    public void NoCgroupMountIsAnError()
    {
        const string mountInfo = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n";

        Assert.Throws<CgroupException>(() => CgroupLayout.Parse(mountInfo, "0::/\n", _root));
    }

    [Fact]
    public void DetectReadsProcFilesUnderTheGivenRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "proc/self"));
        File.WriteAllText(Path.Combine(_root, "proc/self/mountinfo"), MountInfoSamples.LegacyMountInfo);
        File.WriteAllText(Path.Combine(_root, "proc/self/cgroup"), MountInfoSamples.LegacyCgroup);

        var layout = CgroupLayout.Detect(_root);

        Assert.Equal(CgroupMode.Legacy, layout.Mode);
        Assert.Equal($"{_root}/sys/fs/cgroup/pids/system.slice/stack.service", layout.LegacyHierarchyOf("pids")!.OwnDirectory);
    }

    [Fact]
    public void DetectOnThisHostFindsTheOwnMemoryCgroup()
    {
        var layout = CgroupLayout.Detect();

        // The kernel tests in this suite run on a v1 host (legacy or hybrid); v2 is covered by the file-layout tests.
        Assert.True(layout.Mode is CgroupMode.Legacy or CgroupMode.Hybrid, $"Expected a cgroup v1 host, found {layout}");
        var memory = layout.LegacyHierarchyOf("memory")!;
        Assert.True(Directory.Exists(memory.OwnDirectory));
        var procs = File.ReadAllLines(Path.Combine(memory.OwnDirectory, "cgroup.procs"));
        Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), procs);
    }
}
