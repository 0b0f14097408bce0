namespace Berth.Runtime.Cgroups;

/// <summary>A cgroup hierarchy this process belongs to, and where its own cgroup in that hierarchy is.</summary>
public sealed class CgroupHierarchy
{
    internal CgroupHierarchy(bool isUnified, IReadOnlyList<string> controllers, string mountPoint, string ownPath, string ownDirectory)
    {
        IsUnified = isUnified;
        Controllers = controllers;
        MountPoint = mountPoint;
        OwnPath = ownPath;
        OwnDirectory = ownDirectory;
    }

    /// <summary>True for the cgroup2 hierarchy, false for a v1 one.</summary>
    public bool IsUnified { get; }

    /// <summary>
    /// The controllers this hierarchy carries: for v1 the mounted ones (a named hierarchy such as
    /// <c>name=systemd</c> has none), for v2 those listed in the own cgroup's <c>cgroup.controllers</c>.
    /// </summary>
    public IReadOnlyList<string> Controllers { get; }

    /// <summary>Where the hierarchy is mounted, as written in mountinfo.</summary>
    public string MountPoint { get; }

    /// <summary>This process's cgroup in the hierarchy, as written in <c>/proc/self/cgroup</c>.</summary>
    public string OwnPath { get; }

    /// <summary>The directory of this process's cgroup: Berth's cgroups are created below it.</summary>
    public string OwnDirectory { get; }

    public bool Carries(string controller) => Controllers.Contains(controller, StringComparer.Ordinal);

    public override string ToString() =>
        $"{(IsUnified ? "cgroup2" : "cgroup")} [{string.Join(',', Controllers)}] at {OwnDirectory}";
}
