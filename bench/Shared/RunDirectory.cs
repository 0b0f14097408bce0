using System.Security.Cryptography;

namespace Berth.Benchmarks.Shared;

/// <summary>
/// One benchmark run's own directory, <c>ROOT/RUN</c> with a fresh run id, locked for the run's whole life: a run
/// directory whose lock can be taken belongs to a run that is gone, whose leftovers a later run may remove. Shared
/// by the benchmark harnesses, each with its own root.
/// </summary>
internal sealed class RunDirectory : IDisposable
{
    private readonly FileStream _lock;

    private RunDirectory(string root, string path, FileStream heldLock)
    {
        Root = root;
        Path = path;
        _lock = heldLock;
    }

    /// <summary>The folder all runs of one harness share (<c>/run/berth-bench…</c>).</summary>
    public string Root { get; }

    public string Path { get; }

    public string RunId => System.IO.Path.GetFileName(Path);

    /// <summary>A new run directory below <paramref name="root"/>, locked.</summary>
    public static RunDirectory Create(string root)
    {
        var path = System.IO.Path.Combine(root, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(path);
        return new RunDirectory(root, path, TryLock(path) ?? throw new IOException($"{path} is locked by another process."));
    }

    /// <summary>The run directories below <paramref name="root"/> whose runs are gone, each locked by this process for its cleanup.</summary>
    public static IReadOnlyList<RunDirectory> AdoptAbandoned(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root)
                .Select(path => (path, heldLock: TryLock(path)))
                .Where(candidate => candidate.heldLock is not null)
                .Select(candidate => new RunDirectory(root, candidate.path, candidate.heldLock!))]
            : [];

    /// <summary>
    /// Deletes the directory's tree, but never through a mount point (Berth and the OCI runtimes mount inside their
    /// containers' namespaces only, so a mount below it is unexpected: left for a person to look at), then the root
    /// unless another run's directory is in it. Releases the lock first.
    /// </summary>
    public void Remove()
    {
        var below = Path + "/";
        if (File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4]).FirstOrDefault(m => m.StartsWith(below, StringComparison.Ordinal)) is { } mounted)
        {
            throw new IOException($"{mounted} is mounted; left for a person to look at");
        }

        Dispose();
        Directory.Delete(Path, recursive: true);
        try
        {
            Directory.Delete(Root);
        }
        catch (IOException)
        {
            // Another run's directory is in it (or just arrived).
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The lock, or null when another process holds it: .NET takes <c>flock(LOCK_EX|LOCK_NB)</c> for
    /// <see cref="FileShare.None"/>, and opens with O_CLOEXEC, so no child (a detached container, nginx, a stack) keeps it.
    /// </summary>
    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(path, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
