
namespace Berth.Benchmarks.Network;

/// <summary>
/// What one run makes lives in <c>/run/berth-bench-network/RUN</c> (a <see cref="RunDirectory"/>: Berth's container
/// state, nginx's files, the wrk script), and its containers' cgroups below <c>berth/bench-network-RUN</c>, so that
/// cleanup (this run's, or a later run's for one that was killed) knows exactly what is its own.
/// </summary>
internal sealed class NetworkWorkspace(RunDirectory run) : IDisposable
{
    public const string RootDirectory = "/run/berth-bench-network";

    public RunDirectory Run { get; } = run;

    public string RunId => Run.RunId;

    public string Directory => Run.Path;

    /// <summary>Berth's state directory for the run's containers.</summary>
    public string BerthState => Path.Combine(Directory, "berth");

    /// <summary>The containers' cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string CgroupParent => $"berth/bench-network-{RunId}";

    /// <summary>nginx's prefix: its configuration, PID file, error log and temporary directories.</summary>
    public string NginxDirectory => Path.Combine(Directory, "nginx");

    /// <summary>The Lua script that makes wrk print its figures in a form to parse.</summary>
    public string WrkScript => Path.Combine(Directory, "report.lua");

    /// <summary>A new workspace with a fresh run id, locked.</summary>
    public static NetworkWorkspace Create() => new(RunDirectory.Create(RootDirectory));

    /// <summary>The workspaces of earlier runs that are no longer running, each locked by this process for its cleanup.</summary>
    public static IReadOnlyList<NetworkWorkspace> AdoptAbandoned() => [.. RunDirectory.AdoptAbandoned(RootDirectory).Select(r => new NetworkWorkspace(r))];

    public void Dispose() => Run.Dispose();
}
