using static Tmds.Linux.LibC;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A cgroup Berth created for one container, at <c>&lt;own cgroup&gt;/berth/&lt;name&gt;</c> in every hierarchy it
/// needs. Put the container's first process in it before that process runs the service, so everything the service
/// starts is limited and counted. Disposing deletes it, which kills whatever still runs in it.
/// </summary>
public abstract class Cgroup : IDisposable, IAsyncDisposable
{
    // Bounds for waiting on the kernel: SIGKILL and rmdir complete asynchronously. With a doubling delay capped at
    // 100 ms, 60 rounds is about 5.5 s, far beyond the milliseconds a kill normally takes.
    private const int MaxRounds = 60;
    private const int MaxDelayMilliseconds = 100;

    // A concurrent Delete may remove the shared parent between our mkdir of the parent and of the child (ENOENT).
    private const int MaxCreateAttempts = 5;

    // Containers of one process are made and removed concurrently; each weighing counts, then writes, under this.
    private static readonly Lock WeighingLock = new();

    private readonly IReadOnlyList<string> _ownDirectories;
    private readonly IReadOnlyList<string> _parentComponents;
    private bool _deleted;

    private protected Cgroup(string name, string parent, IReadOnlyList<string> ownDirectories)
    {
        CgroupName.Validate(name, nameof(name));
        _parentComponents = CgroupName.ValidateParent(parent, nameof(parent));
        Name = name;
        Parent = parent;
        _ownDirectories = ownDirectories;
        Directories = ownDirectories.Select(own => Path.Combine(own, parent, name)).ToArray();
    }

    /// <summary>The container's cgroup name, unique among live containers.</summary>
    public string Name { get; }

    /// <summary>The path, relative to this process's own cgroup, under which the cgroup lives (<c>berth</c>).</summary>
    public string Parent { get; }

    /// <summary>The cgroup's directory in each hierarchy it uses (one for v2; one per mounted v1 hierarchy).</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>True once the kernel's OOM killer has killed a process of this cgroup.</summary>
    public abstract bool OomKilled { get; }

    /// <summary>Creates a cgroup for this process's layout under <see cref="RuntimePaths.CgroupParentName"/>.</summary>
    public static Cgroup Create(string name, CgroupLimits limits) => CgroupFactory.ForThisProcess().Create(name, limits);

    /// <summary>
    /// Moves a process (all its threads) into the cgroup. Memory it allocated before stays charged where it was,
    /// so do this before the process starts its work.
    /// </summary>
    public abstract void AddProcess(int pid);

    /// <summary>Writes the limits to the kernel; null limits are reset to unlimited.</summary>
    public abstract void SetLimits(CgroupLimits limits);

    public abstract CgroupStats ReadStats();

    /// <summary>The ids of the processes in the cgroup now.</summary>
    public abstract IReadOnlyList<int> ReadProcessIds();

    /// <summary>Kills every process in the cgroup and waits, boundedly, until none is left.</summary>
    /// <exception cref="CgroupException">Processes remain after every attempt.</exception>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        // Most containers are removed after their processes have all exited: nothing to freeze, signal or wait for.
        if (ReadProcessIds().Count == 0)
            return;

        for (var round = 1; ; round++)
        {
            await SignalAllAsync(cancellationToken).ConfigureAwait(false);

            // SIGKILL is acted on when each process is next scheduled; look again after a short wait.
            await Task.Delay(DelayBefore(round), cancellationToken).ConfigureAwait(false);
            var left = ReadProcessIds();
            if (left.Count == 0)
                return;
            if (round == MaxRounds)
            {
                throw new CgroupException(
                    $"Cgroup {Name} still holds processes {string.Join(", ", left)} after {MaxRounds} rounds of SIGKILL");
            }
        }
    }

    /// <inheritdoc cref="KillAsync"/>
    public void Kill() => KillAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Kills every process in the cgroup, removes its directories and then the Berth parent if nothing else is in
    /// it. Deleting twice does nothing.
    /// </summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (_deleted)
            return;

        if (Directories.Any(Directory.Exists))
            await KillAsync(cancellationToken).ConfigureAwait(false);

        foreach (var directory in Directories)
            await RemoveDirectoryAsync(directory, keepIfInUse: false, cancellationToken).ConfigureAwait(false);

        RemoveEmptyParents();
        WeighParents();
        _deleted = true;
    }

    /// <inheritdoc cref="DeleteAsync"/>
    public void Delete() => DeleteAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Removes the cgroup, and the Berth parent if nothing else is in it, only if no process is in it; it never kills.
    /// For a cgroup believed abandoned: a process in it means someone uses it after all. Returns false when one is
    /// there, found before the removal or by the kernel refusing it (EBUSY: one joined meanwhile). A cgroup that does
    /// not exist counts as removed.
    /// </summary>
    /// <exception cref="CgroupException">The kernel refused a removal for another reason.</exception>
    public async Task<bool> TryRemoveUnusedAsync(CancellationToken cancellationToken = default)
    {
        if (_deleted)
            return true;
        if (ReadProcessIds().Count > 0)
            return false;

        foreach (var directory in Directories)
        {
            // A process that joins after the check keeps its hierarchy's directory (EBUSY); whoever put it there
            // finds the directories removed before that one gone and fails its own start, which it cleans up.
            if (!await RemoveDirectoryAsync(directory, keepIfInUse: true, cancellationToken).ConfigureAwait(false))
                return false;
        }

        RemoveEmptyParents();
        WeighParents();
        _deleted = true;
        return true;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        await DeleteAsync().ConfigureAwait(false);
        Dispose(disposing: false);
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"cgroup {Parent}/{Name}";

    /// <summary>
    /// Creates the directories (and the parent) and writes the limits. If that fails, removes the directories this
    /// call made or took over, which hold no process yet, and never touches a cgroup it refused to take over.
    /// </summary>
    internal void Materialize(CgroupLimits limits)
    {
        var claimed = new List<string>();
        try
        {
            MakeDirectories(claimed);
            SetLimits(limits);
            var refused = WeighParents();
            if (refused != 0)
                throw new CgroupException($"Cannot weigh the parent levels of {this}: {CgroupFile.Describe(refused)}") { Errno = refused };
        }
        catch
        {
            foreach (var directory in claimed)
                CgroupFile.TryRemoveDirectory(directory);
            RemoveEmptyParents();
            WeighParents();
            throw;
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Delete();
    }

    /// <summary>The own directory of the hierarchy that shares CPU and its weight file, or null without a cpu controller.</summary>
    private protected abstract (string OwnDirectory, CgroupParentWeight Weight)? CpuWeighting { get; }

    /// <summary>One round of sending SIGKILL to everything in the cgroup.</summary>
    private protected abstract Task SignalAllAsync(CancellationToken cancellationToken);

    /// <summary>Called for this process's own cgroup and each parent level before a child is made in it.</summary>
    private protected virtual void PrepareParent(string directory)
    {
    }

    private protected static TimeSpan DelayBefore(int round) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelayMilliseconds, 1 << Math.Min(round - 1, 10)));

    /// <summary>SIGKILL to each process; one that has already exited (ESRCH) is fine.</summary>
    private protected static void KillProcesses(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            if (kill(pid, SIGKILL) == 0)
                continue;
            var error = errno;
            if (error != ESRCH)
                throw new CgroupException($"Cannot kill process {pid}: {CgroupFile.Describe(error)}") { Errno = error };
        }
    }

    private void MakeDirectories(List<string> claimed)
    {
        for (var attempt = 1; ; attempt++)
        {
            var error = TryMakeDirectories(claimed);
            if (error == 0)
                return;
            if (error != ENOENT || attempt == MaxCreateAttempts)
                throw new CgroupException($"Cannot create {this}: {CgroupFile.Describe(error)}") { Errno = error };
        }
    }

    /// <summary>Returns 0, or ENOENT when a parent vanished under a concurrent delete (worth another attempt).</summary>
    private int TryMakeDirectories(List<string> claimed)
    {
        foreach (var own in _ownDirectories)
        {
            var directory = own;
            PrepareParent(directory);
            foreach (var component in _parentComponents)
            {
                directory = Path.Combine(directory, component);
                var made = CgroupFile.TryMakeDirectory(directory);
                if (made == ENOENT)
                    return ENOENT;
                if (made != 0 && made != EEXIST)
                    throw new CgroupException($"Cannot create {directory}: {CgroupFile.Describe(made)}") { Errno = made };
                PrepareParent(directory);
            }

            var leaf = Path.Combine(directory, Name);
            var result = CgroupFile.TryMakeDirectory(leaf);
            if (result == ENOENT)
                return ENOENT;
            if (result == EEXIST)
            {
                // Left empty by a run that died between mkdir and rmdir: harmless to take over. One with processes
                // belongs to someone (or is a leftover for the janitor).
                var pids = CgroupFile.ReadProcessIds(Path.Combine(leaf, "cgroup.procs"));
                if (pids.Count > 0)
                {
                    throw new CgroupException(
                        $"{leaf} already exists and holds processes {string.Join(", ", pids)}") { Errno = EEXIST };
                }
            }
            else if (result != 0)
            {
                throw new CgroupException($"Cannot create {leaf}: {CgroupFile.Describe(result)}") { Errno = result };
            }

            if (!claimed.Contains(leaf))
                claimed.Add(leaf);
        }

        return 0;
    }

    /// <summary>
    /// Removes one directory, retrying EBUSY while the cgroup is empty; returns false, leaving it, when
    /// <paramref name="keepIfInUse"/> and the EBUSY is a process in it.
    /// </summary>
    private async Task<bool> RemoveDirectoryAsync(string directory, bool keepIfInUse, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var result = CgroupFile.TryRemoveDirectory(directory);
            if (result == 0 || result == ENOENT)
                return true;
            if (result == EBUSY && keepIfInUse && CgroupFile.ReadProcessIds(Path.Combine(directory, "cgroup.procs")).Count > 0)
                return false;

            // EBUSY while the last exiting process has not yet left the cgroup's accounting.
            if (result != EBUSY || round == MaxRounds)
                throw new CgroupException($"Cannot remove {directory}: {CgroupFile.Describe(result)}") { Errno = result };
            await Task.Delay(DelayBefore(round), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Weighs each parent level by the containers below it (see <see cref="CgroupParentWeight"/>) after one came or
    /// went. Returns 0, or the errno of a write the kernel refused.
    /// </summary>
    private int WeighParents()
    {
        if (CpuWeighting is not { } weighting)
            return 0;

        lock (WeighingLock)
            return weighting.Weight.Balance(weighting.OwnDirectory, _parentComponents);
    }

    /// <summary>Removes the parent levels, deepest first, as long as nothing else lives in them.</summary>
    private void RemoveEmptyParents()
    {
        foreach (var own in _ownDirectories)
        {
            for (var depth = _parentComponents.Count; depth > 0; depth--)
            {
                var directory = Path.Combine([own, .. _parentComponents.Take(depth)]);

                // EBUSY/ENOTEMPTY: another container's cgroup is still there, so the levels above stay too.
                var result = CgroupFile.TryRemoveDirectory(directory);
                if (result != 0 && result != ENOENT)
                    break;
            }
        }
    }
}
