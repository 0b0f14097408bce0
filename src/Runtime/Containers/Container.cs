using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Networking;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>A running container: its first process (PID 1 inside), its output and its end. Disposing removes it.</summary>
public sealed class Container : IAsyncDisposable
{
    private readonly SpawnedProcess _spawned;
    private readonly Process _process;
    private readonly Cgroup _cgroup;
    private readonly string _stateDirectory;
    private readonly ExecLauncher _exec;
    private readonly ConcurrentDictionary<ExecProcess, bool> _execs = new();
    private int _disposed;

    internal Container(string id, SpawnedProcess spawned, Cgroup cgroup, ContainerNetwork network, string stateDirectory, ExecLauncher exec)
    {
        Id = id;
        Network = network;
        _spawned = spawned;
        _process = spawned.Process;
        _cgroup = cgroup;
        _stateDirectory = stateDirectory;
        _exec = exec;
        Exited = WaitForExitAsync();
    }

    public string Id { get; }

    /// <summary>The first process's PID as the host sees it.</summary>
    public int Pid => _process.Id;

    /// <summary>Creates sockets in the container's network: how the host listens and connects inside it.</summary>
    public ContainerNetwork Network { get; }

    /// <summary>The service's standard output and error, as the host reads them.</summary>
    public StreamReader StandardOutput => _process.StandardOutput;

    public StreamReader StandardError => _process.StandardError;

    /// <summary>Memory, CPU and PIDs in use now, from the container's cgroup.</summary>
    public CgroupStats ReadStats() => _cgroup.ReadStats();

    /// <summary>Completes when the first process has ended; every other process of the container ends with it.</summary>
    public Task<ContainerExit> Exited { get; }

    /// <summary>
    /// Sends <paramref name="signal"/> to the container's first process: the service, or in init mode the init,
    /// which forwards it to the service (<see cref="ContainerSpec.Init"/>).
    /// </summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited && LibC.kill(_process.Id, signal) != 0 && LibC.errno != LibC.ESRCH)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {LibC.errno}.");
        }
    }

    /// <summary>
    /// Starts a further process in the container, as <c>docker exec</c> does: in all of its namespaces (PID, mount,
    /// UTS, IPC, network, cgroup) and its cgroup, so its memory and PIDs count against the container's limits; as the
    /// container's user, with the same capabilities (none by default), no_new_privs and seccomp filter; seeing the
    /// container's root, <c>/proc</c> and <c>/run/secrets</c>. Nothing the spec says can give it more than the
    /// service has. Returns once the program runs; dispose the result to kill it. Removing the container kills every
    /// process started here.
    /// </summary>
    /// <exception cref="ContainerExecException">
    /// The process could not be started: the container has exited (stage <c>container</c>), the program is missing or
    /// cannot be executed (<c>exec</c>), the directory does not exist (<c>chdir</c>), …; nothing of it is left.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The container has been removed.</exception>
    public async Task<ExecProcess> ExecAsync(ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ExecLauncher.Validate(spec);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Exited.IsCompleted)
        {
            throw new ContainerExecException(Id, "container", $"the container has exited ({Exited.Result.Summary})");
        }

        var process = await _exec.StartAsync(spec, p => _execs.TryRemove(p, out _), cancellationToken).ConfigureAwait(false);
        _execs[process] = true;
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Removed while it started; its namespaces are gone, so it is too, or about to be.
            await process.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(GetType().FullName, $"Container '{Id}' was removed while the process started.");
        }

        return process;
    }

    /// <summary>Kills the container (and every process exec'd into it) if it still runs and removes its state.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var steps = new CleanupSteps();

        // Through the cgroup, so that no process of the container survives, whatever it forked.
        await steps.RunAsync(() => _cgroup.KillAsync()).ConfigureAwait(false);
        Signal(LibC.SIGKILL);
        await steps.RunAsync(() => Exited).ConfigureAwait(false);

        // Dead by now (they were in the cgroup, and in the PID namespace whose PID 1 has ended): reap them.
        foreach (var exec in _execs.Keys)
        {
            await steps.RunAsync(() => exec.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        await steps.RunAsync(() => _cgroup.DeleteAsync()).ConfigureAwait(false);
        await steps.Run(Network.Close).ConfigureAwait(false);
        _process.Dispose();
        await steps.Run(() => ContainerStateDirectory.Remove(_stateDirectory, Id)).ConfigureAwait(false);

        if (steps.Problems.Count > 0)
        {
            throw new AggregateException($"Container '{Id}' was not removed completely.", steps.Problems);
        }
    }

    private async Task<ContainerExit> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _spawned.Release();
        return ContainerExit.FromProcessExitCode(_process.ExitCode, _cgroup.OomKilled);
    }
}
