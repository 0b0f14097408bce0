
namespace Berth.Benchmarks.StackStart;

/// <summary>
/// What one run makes lives in <c>/run/berth-bench-stackstart/RUN</c> (a <see cref="RunDirectory"/>: the Berth
/// stack's state directory), and the Berth stack's cgroups below <c>berth/bench-stackstart-RUN</c>, so that the
/// check after each stop, and cleanup (this run's, or a later run's for one that was killed), know exactly what is
/// this run's.
/// </summary>
internal sealed class StackWorkspace(RunDirectory run) : IDisposable
{
    public const string RootDirectory = "/run/berth-bench-stackstart";

    public RunDirectory Run { get; } = run;

    public string Directory => Run.Path;

    /// <summary>The Berth stack's state directory (<c>Berth__StateDirectory</c>).</summary>
    public string BerthState => Path.Combine(Directory, "berth");

    /// <summary>The Berth stack's cgroups (<c>Berth__CgroupParent</c>): below the host's own cgroup, under the usual <c>berth</c> parent.</summary>
    public string CgroupParent => $"berth/bench-stackstart-{Run.RunId}";

    /// <summary>
    /// The experiment's cgroup parent (<see cref="Contenders.BerthContender.Weighted"/>): beside <c>berth</c>, not below it,
    /// so the CPU weight the benchmark gives it is the stack's alone.
    /// </summary>
    public string WeightedCgroupParent => $"berth-bench-stackstart-{Run.RunId}";

    public IEnumerable<string> CgroupParents => [CgroupParent, WeightedCgroupParent];

    /// <summary>A new workspace with a fresh run id, locked.</summary>
    public static StackWorkspace Create() => new(RunDirectory.Create(RootDirectory));

    /// <summary>The workspaces of earlier runs that are no longer running, each locked by this process for its cleanup.</summary>
    public static IReadOnlyList<StackWorkspace> AdoptAbandoned() => [.. RunDirectory.AdoptAbandoned(RootDirectory).Select(r => new StackWorkspace(r))];

    public void Dispose() => Run.Dispose();
}
