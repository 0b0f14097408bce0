namespace Berth.Benchmarks.StackStart;

/// <summary>
/// What one run makes lives in <c>/run/berth-bench-stackstart/RUN</c> (a <see cref="RunDirectory"/>: the Berth
/// stack's state directory), and the Berth stack's cgroups below <c>berth/bench-stackstart-RUN</c>, so that the
/// check after each stop, and cleanup (this run's, or a later run's for one that was killed), know exactly what is
/// this run's.
/// </summary>
internal sealed class StackWorkspace(RunDirectory run) : RunWorkspace(run), IRunWorkspace<StackWorkspace>
{
    public static string RootDirectory => "/run/berth-bench-stackstart";

    /// <summary>The Berth stack's cgroups (<c>Berth__CgroupParent</c>): below the host's own cgroup, under the usual <c>berth</c> parent.</summary>
    public string CgroupParent => $"berth/bench-stackstart-{Run.RunId}";

    public IEnumerable<string> CgroupParents => [CgroupParent];

    public static StackWorkspace Open(RunDirectory run) => new(run);

    public static Task CleanUpAsync(StackWorkspace workspace, TextWriter log) => Cleanup.WorkspaceCleanup.RunAsync(workspace, log);
}
