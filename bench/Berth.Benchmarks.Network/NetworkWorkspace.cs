namespace Berth.Benchmarks.Network;

/// <summary>
/// What one run makes lives in <c>/run/berth-bench-network/RUN</c> (a <see cref="RunDirectory"/>: Berth's container
/// state, nginx's files, the wrk script), and its containers' cgroups below <c>berth/bench-network-RUN</c>, so that
/// cleanup (this run's, or a later run's for one that was killed) knows exactly what is its own.
/// </summary>
internal sealed class NetworkWorkspace(RunDirectory run) : RunWorkspace(run), IRunWorkspace<NetworkWorkspace>
{
    public static string RootDirectory => "/run/berth-bench-network";

    /// <summary>The containers' cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string CgroupParent => $"berth/bench-network-{Run.RunId}";

    /// <summary>nginx's prefix: its configuration, PID file, error log and temporary directories.</summary>
    public string NginxDirectory => Path.Combine(Directory, "nginx");

    /// <summary>The Lua script that makes wrk print its figures in a form to parse.</summary>
    public string WrkScript => Path.Combine(Directory, "report.lua");

    public static NetworkWorkspace Open(RunDirectory run) => new(run);

    public static Task CleanUpAsync(NetworkWorkspace workspace, TextWriter log) => WorkspaceCleanup.RunAsync(workspace, log);
}
