using System.Diagnostics;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// A process started in a running container by <see cref="Container.ExecAsync"/>: a child of the host, in the
/// container's namespaces and cgroup. Disposing kills it if it still runs. It ends with the container at the latest:
/// the kernel kills every process of a PID namespace whose PID 1 has ended.
/// </summary>
public sealed class ExecProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Action<ExecProcess> _removed;
    private int _disposed;

    internal ExecProcess(Process process, Func<bool> oomKilled, Action<ExecProcess> removed)
    {
        _process = process;
        _removed = removed;
        Pid = process.Id;
        Exited = WaitForExitAsync(oomKilled);
    }

    /// <summary>The process's PID as the host sees it.</summary>
    public int Pid { get; }

    /// <summary>
    /// Completes when the process has ended: its exit code, or 128 + N and the signal N that killed it, as for the
    /// container's main process; <see cref="ContainerExit.OomKilled"/> when the container's memory limit killed it.
    /// </summary>
    public Task<ContainerExit> Exited { get; }

    /// <summary>Sends <paramref name="signal"/> to the process; nothing once it has ended.</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited && LibC.kill(Pid, signal) != 0 && LibC.errno != LibC.ESRCH)
        {
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed with errno {LibC.errno}.");
        }
    }

    /// <summary>Kills the process (SIGKILL) if it still runs and waits until it has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Only its own PID: what it started lives on as the container's, as after docker exec.
        Signal(LibC.SIGKILL);
        await Exited.ConfigureAwait(false);
        _process.Dispose();
        _removed(this);
    }

    private async Task<ContainerExit> WaitForExitAsync(Func<bool> oomKilled)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var exitCode = _process.ExitCode;
        return ContainerExit.FromProcessExitCode(exitCode, exitCode == 128 + LibC.SIGKILL && oomKilled());
    }
}
