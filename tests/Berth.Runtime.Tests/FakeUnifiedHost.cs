namespace Berth.Runtime.Tests;

/// <summary>
/// A temporary directory laid out like a cgroup v2 host: <c>proc/self/mountinfo</c> with a cgroup2 mount at
/// <c>/sys/fs/cgroup</c>, <c>proc/self/cgroup</c> placing the process in <c>/system.slice/stack.service</c>, and
/// the interface files the kernel would show in that cgroup, in <c>berth</c> and in <c>berth/NAME</c>. The
/// kernel makes a cgroup's files on mkdir; here they are made up front, so Create finds an empty cgroup to take over.
/// </summary>
internal sealed class FakeUnifiedHost : IDisposable
{
    public const string OwnPath = "system.slice/stack.service";

    public FakeUnifiedHost(string name, string controllers = "cpuset cpu io memory hugetlb pids rdma misc")
    {
        Root = Directory.CreateTempSubdirectory("berth-cgroup2-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "proc/self"));
        File.WriteAllText(Path.Combine(Root, "proc/self/mountinfo"), MountInfoSamples.UnifiedMountInfo);
        File.WriteAllText(Path.Combine(Root, "proc/self/cgroup"), MountInfoSamples.UnifiedCgroup);

        OwnDirectory = Path.Combine(Root, "sys/fs/cgroup", OwnPath);
        ParentDirectory = Path.Combine(OwnDirectory, RuntimePaths.CgroupParentName);
        CgroupDirectory = Path.Combine(ParentDirectory, name);

        WriteInterface(OwnDirectory, controllers);
        WriteInterface(ParentDirectory, string.Empty);
        WriteInterface(CgroupDirectory, string.Empty);
        Write("memory.max", "max\n");
        Write("memory.swap.max", "max\n");
        Write("cpu.max", "max 100000\n");
        Write("pids.max", "max\n");
        Write("memory.current", "0\n");
        Write("memory.peak", "0\n");
        Write("pids.current", "0\n");
        Write("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        Write("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        Write("cgroup.events", "populated 0\nfrozen 0\n");
        Write("cgroup.freeze", "0\n");
        Write("cgroup.kill", string.Empty);
    }

    public string Root { get; }

    public string OwnDirectory { get; }

    public string ParentDirectory { get; }

    public string CgroupDirectory { get; }

    /// <summary>Writes one of the cgroup's files, as the kernel would show it.</summary>
    public void Write(string file, string content) => File.WriteAllText(Path.Combine(CgroupDirectory, file), content);

    public string Read(string file) => File.ReadAllText(Path.Combine(CgroupDirectory, file));

    public void Remove(string file) => File.Delete(Path.Combine(CgroupDirectory, file));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void WriteInterface(string directory, string controllers)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "cgroup.controllers"), controllers + "\n");
        File.WriteAllText(Path.Combine(directory, "cgroup.subtree_control"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "cgroup.procs"), string.Empty);
    }
}
