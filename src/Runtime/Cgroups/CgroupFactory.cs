namespace Berth.Runtime.Cgroups;

/// <summary>
/// Makes and finds Berth's cgroups for a layout: v2 on a unified host, v1 on a legacy or hybrid one (there the
/// controllers live in the v1 hierarchies). Every cgroup lives under <see cref="Parent"/> below this process's
/// own cgroup, never under a hierarchy's root, which the process may not own.
/// </summary>
public sealed class CgroupFactory
{
    public CgroupFactory(CgroupLayout layout, string parent = RuntimePaths.CgroupParentName)
    {
        ArgumentNullException.ThrowIfNull(layout);
        CgroupName.ValidateParent(parent, nameof(parent));
        Layout = layout;
        Parent = parent;
    }

    public CgroupLayout Layout { get; }

    /// <summary>The path below this process's own cgroup that holds Berth's cgroups, <c>berth</c> by default.</summary>
    public string Parent { get; }

    /// <summary>True when cgroups go through the v2 interface.</summary>
    public bool IsUnified => Layout.Mode == CgroupMode.Unified;

    /// <summary>A factory for the layout this process sees.</summary>
    public static CgroupFactory ForThisProcess() => new(CgroupLayout.Detect());

    /// <summary>
    /// Creates the cgroup <c>&lt;own cgroup&gt;/&lt;parent&gt;/&lt;name&gt;</c> in every hierarchy it needs, with the
    /// limits written. An existing empty cgroup of that name (left by a run that died) is taken over.
    /// </summary>
    /// <exception cref="CgroupException">A controller a limit needs is missing, or the kernel refused a step.</exception>
    public Cgroup Create(string name, CgroupLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        if (IsUnified)
            CgroupV2.RequireControllers(Layout, limits);
        else
            CgroupV1.RequireControllers(Layout, limits);

        var cgroup = Open(name);
        cgroup.Materialize(limits);
        return cgroup;
    }

    /// <summary>The cgroup of that name, whether or not it exists; nothing on disk changes.</summary>
    public Cgroup Open(string name) =>
        IsUnified ? CgroupV2.For(Layout, name, Parent) : CgroupV1.For(Layout, name, Parent);

    /// <summary>The names of the cgroups under the parent, in any hierarchy Berth uses.</summary>
    public IReadOnlyList<string> ListNames()
    {
        var owns = IsUnified ? CgroupV2.OwnDirectories(Layout) : CgroupV1.OwnDirectories(Layout);
        return owns
            .Select(own => Path.Combine(own, Parent))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(CgroupName.IsValid)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
