using System.Security.Cryptography;

namespace Berth.Benchmarks.Network;

/// <summary>
/// What one run makes lives in <c>/run/berth-bench-network/RUN</c> (Berth's container state, nginx's files, the
/// wrk script), and its containers' cgroups below <c>berth/bench-network-RUN</c>, so that cleanup (this run's, or a
/// later run's for one that was killed) knows exactly what is its own. The run holds an exclusive lock on a file in
/// it for its whole life: a workspace whose lock can be taken belongs to a run that is gone.
/// </summary>
internal sealed class NetworkWorkspace : IDisposable
{
    public const string RootDirectory = "/run/berth-bench-network";

    private readonly FileStream _lock;

    private NetworkWorkspace(string directory, FileStream heldLock)
    {
        Directory = directory;
        RunId = Path.GetFileName(directory);
        _lock = heldLock;
    }

    public string RunId { get; }

    public string Directory { get; }

    /// <summary>Berth's state directory for the run's containers.</summary>
    public string BerthState => Path.Combine(Directory, "berth");

    /// <summary>The containers' cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string CgroupParent => $"berth/bench-network-{RunId}";

    /// <summary>nginx's prefix: its configuration, PID file, error log and temporary directories.</summary>
    public string NginxDirectory => Path.Combine(Directory, "nginx");

    /// <summary>The Lua script that makes wrk print its figures in a form to parse.</summary>
    public string WrkScript => Path.Combine(Directory, "report.lua");

    /// <summary>A new workspace with a fresh run id, locked.</summary>
    public static NetworkWorkspace Create()
    {
        var directory = Path.Combine(RootDirectory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        System.IO.Directory.CreateDirectory(directory);
        return new NetworkWorkspace(directory, TryLock(directory) ?? throw new IOException($"{directory} is locked by another process."));
    }

    /// <summary>The workspaces of earlier runs that are no longer running, each locked by this process for its cleanup.</summary>
    public static IReadOnlyList<NetworkWorkspace> AdoptAbandoned() =>
        System.IO.Directory.Exists(RootDirectory)
            ? [.. System.IO.Directory.EnumerateDirectories(RootDirectory)
                .Select(directory => (directory, heldLock: TryLock(directory)))
                .Where(candidate => candidate.heldLock is not null)
                .Select(candidate => new NetworkWorkspace(candidate.directory, candidate.heldLock!))]
            : [];

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The lock, or null when another process holds it: .NET takes <c>flock(LOCK_EX|LOCK_NB)</c> for
    /// <see cref="FileShare.None"/>, and opens with O_CLOEXEC, so neither nginx nor wrk inherits it.
    /// </summary>
    private static FileStream? TryLock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
