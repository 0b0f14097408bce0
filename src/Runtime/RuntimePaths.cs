namespace Berth.Runtime;

/// <summary>
/// Where Berth keeps what it owns on this machine, so a user can always see it and a leak is easy to spot:
/// state under <c>/run/berth</c> (or <c>$XDG_RUNTIME_DIR/berth</c> for a non-root user), cgroups under a
/// <c>berth</c> parent.
/// </summary>
public static class RuntimePaths
{
    /// <summary>The name of the cgroup that parents every Berth cgroup.</summary>
    public const string CgroupParentName = "berth";

    /// <summary>The state directory: <c>$XDG_RUNTIME_DIR/berth</c> when not root and set, else <c>/run/berth</c>.</summary>
    public static string StateDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            return Tmds.Linux.LibC.geteuid() != 0 && !string.IsNullOrEmpty(xdg)
                ? Path.Combine(xdg, "berth")
                : "/run/berth";
        }
    }
}
