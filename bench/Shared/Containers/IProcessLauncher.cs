using System.Diagnostics;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// Starts processes from a particular thread. It matters: a process inherits the namespaces of the thread that
/// forks it, and crun must be forked from a thread in a private mount namespace on a hybrid cgroup host.
/// </summary>
internal interface IProcessLauncher
{
    /// <summary>
    /// Starts the process; the timestamp is taken on the starting thread just before <see cref="Process.Start()"/>,
    /// so that a hand-over to another thread is the harness's cost, not the contender's.
    /// </summary>
    Task<(Process Process, long StartTimestamp)> StartAsync(ProcessStartInfo startInfo);
}
