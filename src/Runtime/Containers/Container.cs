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
    private int _disposed;

    internal Container(string id, SpawnedProcess spawned, Cgroup cgroup, ContainerNetwork network, string stateDirectory)
    {
        Id = id;
        Network = network;
        _spawned = spawned;
        _process = spawned.Process;
        _cgroup = cgroup;
        _stateDirectory = stateDirectory;
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

    /// <summary>Kills the container if it still runs and removes its state.</summary>
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
