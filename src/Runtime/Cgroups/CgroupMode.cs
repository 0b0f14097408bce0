namespace Berth.Runtime.Cgroups;

/// <summary>How the host mounts cgroups, which decides the interface Berth uses for limits.</summary>
public enum CgroupMode
{
    /// <summary>cgroup v1 only: one hierarchy per controller (or per group of co-mounted controllers).</summary>
    Legacy,

    /// <summary>
    /// cgroup v1 controllers plus a cgroup2 mount that holds none of them (systemd's "hybrid" setup, usually at
    /// <c>/sys/fs/cgroup/unified</c>). A controller lives in exactly one hierarchy, so limits go through v1.
    /// </summary>
    Hybrid,

    /// <summary>cgroup v2 only: one hierarchy with every controller.</summary>
    Unified,
}
