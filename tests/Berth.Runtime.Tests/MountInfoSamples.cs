namespace Berth.Runtime.Tests;

/// <summary>mountinfo and /proc/self/cgroup texts of the host kinds Berth meets.</summary>
internal static class MountInfoSamples
{
    /// <summary>The development VM (Debian 12, Linux 6.x), copied verbatim: v1 controllers, a controller-less cgroup2.</summary>
    public const string ThisMachineMountInfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
        24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334492k,nr_inodes=3083623,mode=755
        25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684092k
        26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

        """;

    public const string ThisMachineCgroup = """
        9:name=systemd:/
        8:pids:/
        7:blkio:/
        6:freezer:/
        5:devices:/
        4:memory:/process_api/ff8956a0d792e3a3661850918c8d2c2e
        3:cpuset:/
        2:cpuacct:/
        1:cpu:/
        0::/

        """;

    /// <summary>A systemd host in legacy mode (CentOS 7 style): cpu and cpuacct co-mounted, no cgroup2.</summary>
    public const string LegacyMountInfo = """
        18 62 0:17 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw
        25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
        29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
        30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
        31 25 0:28 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,pids
        32 25 0:29 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,freezer
        """;

    public const string LegacyCgroup = """
        11:pids:/system.slice/stack.service
        5:freezer:/
        4:memory:/system.slice/stack.service
        3:cpu,cpuacct:/system.slice/stack.service
        1:name=systemd:/system.slice/stack.service
        """;

    /// <summary>systemd's hybrid mode (Ubuntu 20.04 style): v1 controllers and a cgroup2 at /sys/fs/cgroup/unified.</summary>
    public const string HybridMountInfo = """
        25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct
        31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
        32 25 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,pids
        """;

    public const string HybridCgroup = """
        12:pids:/system.slice/stack.service
        6:memory:/system.slice/stack.service
        3:cpu,cpuacct:/system.slice/stack.service
        1:name=systemd:/system.slice/stack.service
        0::/system.slice/stack.service
        """;

    /// <summary>A pure cgroup v2 host (Debian 12, Ubuntu 22.04, Fedora).</summary>
    public const string UnifiedMountInfo = """
        23 29 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    public const string UnifiedCgroup = "0::/system.slice/stack.service\n";

    /// <summary>
    /// Inside a Docker container on a v1 host without a cgroup namespace: each mount shows only the container's
    /// subtree (mount root /docker/ID), while /proc/self/cgroup names the full path.
    /// </summary>
    public const string ContainerLegacyMountInfo = """
        600 590 0:50 /docker/4f1c /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:15 - cgroup cgroup rw,memory
        601 590 0:51 /docker/4f1c /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:16 - cgroup cgroup rw,cpu,cpuacct
        602 590 0:52 /docker/4f1c /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup rw,pids
        """;

    public const string ContainerLegacyCgroup = """
        8:pids:/docker/4f1c
        4:memory:/docker/4f1c/inner
        2:cpu,cpuacct:/docker/4f1c
        """;
}
