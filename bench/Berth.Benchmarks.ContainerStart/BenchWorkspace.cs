namespace Berth.Benchmarks.ContainerStart;

/// <summary>
/// Everything one run makes on disk lives in <c>/run/berth-bench/RUN</c> (a <see cref="RunDirectory"/>), and every
/// cgroup it or the runtimes it drives make is named after RUN, so that cleanup (this run's, or a later run's for
/// one that was killed) knows exactly what to remove.
/// </summary>
internal sealed class BenchWorkspace(RunDirectory run) : RunWorkspace(run), IRunWorkspace<BenchWorkspace>
{
    public static string RootDirectory => "/run/berth-bench";

    /// <summary>The busybox root filesystem every contender runs.</summary>
    public string Image => Path.Combine(Directory, "rootfs");

    /// <summary>Links to the image's busybox for the bare spawn, outside any container.</summary>
    public string HostLinks => Path.Combine(Directory, "host");

    /// <summary>Berth's cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string BerthCgroupParent => $"berth/bench-{Run.RunId}";

    /// <summary>crun's and runc's cgroups: one top-level name (crun takes it from the hierarchy's root, runc from its own cgroup).</summary>
    public string OciCgroupParent => $"berth-bench-{Run.RunId}";

    /// <summary>A runtime's bundles, state root and the empty file of the hybrid-cgroup workaround.</summary>
    public string OciDirectory(string runtime) => Path.Combine(Directory, runtime);

    public static BenchWorkspace Open(RunDirectory run) => new(run);

    public static Task CleanUpAsync(BenchWorkspace workspace, TextWriter log) => Cleanup.WorkspaceCleanup.RunAsync(workspace, log);
}
