namespace Berth.Runtime.Cgroups;

/// <summary>
/// One line of <c>/proc/PID/cgroup</c> (cgroups(7)): <c>hierarchy-ID:controller-list:cgroup-path</c>. A v1 line
/// lists its controllers (or <c>name=systemd</c> for a named hierarchy); the v2 line is <c>0::/path</c>.
/// </summary>
/// <param name="HierarchyId">0 for cgroup v2.</param>
/// <param name="Controllers">The v1 controllers or <c>name=</c> entry; empty for v2.</param>
/// <param name="Path">The process's cgroup, relative to the root of the hierarchy (or of its cgroup namespace).</param>
internal sealed record CgroupMembership(int HierarchyId, IReadOnlyList<string> Controllers, string Path)
{
    public bool IsUnified => HierarchyId == 0 && Controllers.Count == 0;

    public static IReadOnlyList<CgroupMembership> ParseAll(string text)
    {
        var memberships = new List<CgroupMembership>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The path may itself contain ':', so split into three parts at most.
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || !int.TryParse(parts[0], out var id))
                continue;

            var controllers = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
            memberships.Add(new CgroupMembership(id, controllers, parts[2]));
        }

        return memberships;
    }
}
