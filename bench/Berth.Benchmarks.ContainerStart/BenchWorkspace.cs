using System.Security.Cryptography;

namespace Berth.Benchmarks.ContainerStart;

/// <summary>
/// Everything one run makes on disk lives in <c>/run/berth-bench/RUN</c>, and every cgroup it or the runtimes it
/// drives make is named after RUN, so that cleanup (this run's, or a later run's for one that was killed) knows
/// exactly what to remove. The run holds an exclusive lock on a file in it for its whole life: a workspace whose
/// lock can be taken belongs to a run that is gone.
/// </summary>
internal sealed class BenchWorkspace : IDisposable
{
    public const string RootDirectory = "/run/berth-bench";

    private const string LockFileName = "lock";

    private readonly FileStream _lock;

    private BenchWorkspace(string directory, FileStream heldLock)
    {
        Directory = directory;
        RunId = Path.GetFileName(directory);
        _lock = heldLock;
    }

    public string RunId { get; }

    public string Directory { get; }

    /// <summary>The busybox root filesystem every contender runs.</summary>
    public string Image => Path.Combine(Directory, "rootfs");

    /// <summary>Links to the image's busybox for the bare spawn, outside any container.</summary>
    public string HostLinks => Path.Combine(Directory, "host");

    /// <summary>Berth's state directory (<c>containers/ID</c> below it).</summary>
    public string BerthState => Path.Combine(Directory, "berth");

    /// <summary>Berth's cgroups: below this process's own cgroup, under the runtime's usual <c>berth</c> parent.</summary>
    public string BerthCgroupParent => $"berth/bench-{RunId}";

    /// <summary>crun's and runc's cgroups: one top-level name (crun takes it from the hierarchy's root, runc from its own cgroup).</summary>
    public string OciCgroupParent => $"berth-bench-{RunId}";

    /// <summary>A runtime's bundles, state root and the empty file of the hybrid-cgroup workaround.</summary>
    public string OciDirectory(string runtime) => Path.Combine(Directory, runtime);

    /// <summary>A new workspace with a fresh run id, locked.</summary>
    public static BenchWorkspace Create()
    {
        System.IO.Directory.CreateDirectory(RootDirectory);
        var directory = Path.Combine(RootDirectory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        System.IO.Directory.CreateDirectory(directory);
        return new BenchWorkspace(directory, Lock(directory) ?? throw new IOException($"{directory} is locked by another process."));
    }

    /// <summary>The workspaces of earlier runs that are no longer running, each locked by this process for its cleanup.</summary>
    public static IReadOnlyList<BenchWorkspace> AdoptAbandoned()
    {
        if (!System.IO.Directory.Exists(RootDirectory))
        {
            return [];
        }

        var abandoned = new List<BenchWorkspace>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories(RootDirectory))
        {
            if (Lock(directory) is { } heldLock)
            {
                abandoned.Add(new BenchWorkspace(directory, heldLock));
            }
        }

        return abandoned;
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The lock, or null when another process holds it. .NET takes <c>flock(LOCK_EX|LOCK_NB)</c> for
    /// <see cref="FileShare.None"/>, and opens with O_CLOEXEC, so no child (a detached container) keeps it alive.
    /// </summary>
    private static FileStream? Lock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
