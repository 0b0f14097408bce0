namespace Berth.Benchmarks.ImageStart;

/// <summary>
/// Everything one run makes on disk lives in <c>/run/berth-bench-image/RUN</c> (a <see cref="RunDirectory"/>): the
/// images, Berth's image stores and container state, runc's state and bundles, and a Podman storage per Podman
/// contender; every cgroup it or the tools it drives make is named after RUN, so that cleanup (this run's, or a
/// later run's for one that was killed) knows exactly what to remove.
/// </summary>
internal sealed class ImageBenchWorkspace(RunDirectory run) : RunWorkspace(run), IRunWorkspace<ImageBenchWorkspace>
{
    public static string RootDirectory => "/run/berth-bench-image";

    /// <summary>The images as OCI layouts and OCI archives, and the scratch space that makes them.</summary>
    public string Images => Path.Combine(Directory, "images");

    /// <summary>The state directory of the image store that has every image imported and unpacked (<c>images/</c> below it).</summary>
    public string CachedStore => Path.Combine(Directory, "store-cached");

    /// <summary>The state directory of the image store each cold start imports into; removed after every start.</summary>
    public string ColdStore => Path.Combine(Directory, "store-cold");

    /// <summary>runc's state root and bundles.</summary>
    public string Runc => Path.Combine(Directory, "runc");

    public string RuncState => Path.Combine(Runc, "state");

    /// <summary>
    /// Podman's storage for one contender (<c>podman-cold</c>: <c>podman/cold</c>), with <c>root</c>, <c>run</c> and
    /// <c>tmp</c> below it: short, because Podman refuses a run root longer than 50 characters.
    /// </summary>
    public string Podman(string contender) => Path.Combine(Directory, "podman", contender["podman-".Length..]);

    /// <summary>Every Podman storage the run made.</summary>
    public IEnumerable<string> PodmanStorages =>
        System.IO.Directory.Exists(Path.Combine(Directory, "podman")) ? System.IO.Directory.EnumerateDirectories(Path.Combine(Directory, "podman")) : [];

    /// <summary>Berth's cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string BerthCgroupParent => $"berth/bench-image-{Run.RunId}";

    /// <summary>runc's cgroups (below this process's cgroup) and Podman's (from each hierarchy's root): one top-level name.</summary>
    public string OciCgroupParent => $"berth-bench-image-{Run.RunId}";

    public static ImageBenchWorkspace Open(RunDirectory run) => new(run);

    public static Task CleanUpAsync(ImageBenchWorkspace workspace, TextWriter log) => ImageWorkspaceCleanup.RunAsync(workspace, log);
}
