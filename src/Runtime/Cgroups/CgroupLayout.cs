namespace Berth.Runtime.Cgroups;

/// <summary>
/// Which cgroup hierarchies are mounted, which controllers each carries and where this process's own cgroup is in
/// each, read from <c>/proc/self/mountinfo</c> and <c>/proc/self/cgroup</c>.
/// </summary>
public sealed class CgroupLayout
{
    private CgroupLayout(CgroupMode mode, IReadOnlyList<CgroupHierarchy> hierarchies)
    {
        Mode = mode;
        Hierarchies = hierarchies;
    }

    public CgroupMode Mode { get; }

    /// <summary>Every usable hierarchy: v1 controller hierarchies, named v1 hierarchies and the cgroup2 one.</summary>
    public IReadOnlyList<CgroupHierarchy> Hierarchies { get; }

    /// <summary>The cgroup2 hierarchy, if one is mounted (in <see cref="CgroupMode.Hybrid"/> it has no limits).</summary>
    public CgroupHierarchy? Unified => Hierarchies.FirstOrDefault(h => h.IsUnified);

    /// <summary>The v1 hierarchy that carries a controller (<c>memory</c>, <c>cpu</c>...), or null.</summary>
    public CgroupHierarchy? LegacyHierarchyOf(string controller) =>
        Hierarchies.FirstOrDefault(h => !h.IsUnified && h.Carries(controller));

    /// <summary>The layout seen by this process.</summary>
    public static CgroupLayout Detect() => Detect("/");

    /// <summary>
    /// The layout described by <c>proc/self/mountinfo</c> and <c>proc/self/cgroup</c> under <paramref name="root"/>;
    /// the mount points those files name are also looked up under it, so a directory can stand in for a host.
    /// </summary>
    public static CgroupLayout Detect(string root)
    {
        var mountInfo = CgroupFile.Read(Path.Combine(root, "proc/self/mountinfo"));
        var membership = CgroupFile.Read(Path.Combine(root, "proc/self/cgroup"));
        return Parse(mountInfo, membership, root);
    }

    /// <summary>The layout described by the texts of a mountinfo and a <c>/proc/PID/cgroup</c> file.</summary>
    public static CgroupLayout Parse(string mountInfo, string procCgroup, string root)
    {
        root = Path.GetFullPath(root);
        var mounts = MountInfoEntry.ParseAll(mountInfo);
        var hierarchies = new List<CgroupHierarchy>();
        foreach (var membership in CgroupMembership.ParseAll(procCgroup))
        {
            var hierarchy = membership.IsUnified
                ? FindUnified(mounts, membership, root)
                : FindLegacy(mounts, membership, root);
            if (hierarchy is not null)
                hierarchies.Add(hierarchy);
        }

        var hasLegacyControllers = hierarchies.Any(h => !h.IsUnified && h.Controllers.Count > 0);
        var hasUnified = hierarchies.Any(h => h.IsUnified);
        var mode = (hasLegacyControllers, hasUnified) switch
        {
            (true, true) => CgroupMode.Hybrid,
            (true, false) => CgroupMode.Legacy,
            (false, true) => CgroupMode.Unified,
            _ => throw new CgroupException(
                "No cgroup hierarchy is mounted for this process (no cgroup or cgroup2 entry in mountinfo matches /proc/self/cgroup)"),
        };
        return new CgroupLayout(mode, hierarchies);
    }

    public override string ToString() => $"{Mode}: {string.Join("; ", Hierarchies)}";

    private static CgroupHierarchy? FindUnified(IReadOnlyList<MountInfoEntry> mounts, CgroupMembership membership, string root)
    {
        foreach (var mount in mounts.Where(m => m.FileSystemType == "cgroup2"))
        {
            if (RelativeTo(mount.Root, membership.Path) is not { } relative)
                continue;

            var directory = HostPath(root, mount.MountPoint, relative);

            // What this cgroup may hand to its children; a hybrid host's cgroup2 lists none of the v1 controllers.
            var controllers = CgroupFile.ReadIfExists(Path.Combine(directory, "cgroup.controllers"))
                ?? CgroupFile.ReadIfExists(Path.Combine(HostPath(root, mount.MountPoint, "/"), "cgroup.controllers"))
                ?? string.Empty;
            return new CgroupHierarchy(
                isUnified: true,
                controllers.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
                mount.MountPoint,
                membership.Path,
                directory);
        }

        return null;
    }

    private static CgroupHierarchy? FindLegacy(IReadOnlyList<MountInfoEntry> mounts, CgroupMembership membership, string root)
    {
        // A v1 mount names its controllers (or name=...) among its super options: "rw,cpu,cpuacct".
        foreach (var mount in mounts.Where(m => m.FileSystemType == "cgroup"))
        {
            if (!membership.Controllers.All(c => mount.SuperOptions.Contains(c, StringComparer.Ordinal)))
                continue;
            if (RelativeTo(mount.Root, membership.Path) is not { } relative)
                continue;

            var controllers = membership.Controllers.Where(c => !c.StartsWith("name=", StringComparison.Ordinal)).ToArray();
            return new CgroupHierarchy(
                isUnified: false,
                controllers,
                mount.MountPoint,
                membership.Path,
                HostPath(root, mount.MountPoint, relative));
        }

        return null;
    }

    /// <summary>
    /// The cgroup path relative to a mount whose root is <paramref name="mountRoot"/> (a bind mount or a container's
    /// cgroup mount shows only a subtree), or null when the mount does not contain the cgroup.
    /// </summary>
    private static string? RelativeTo(string mountRoot, string cgroupPath)
    {
        if (mountRoot == "/")
            return cgroupPath;
        if (cgroupPath == mountRoot)
            return "/";
        if (cgroupPath.StartsWith(mountRoot + "/", StringComparison.Ordinal))
            return cgroupPath[mountRoot.Length..];
        return null;
    }

    private static string HostPath(string root, string mountPoint, string relative)
    {
        var parts = new[] { root, mountPoint, relative }
            .SelectMany(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return "/" + string.Join('/', parts);
    }
}
