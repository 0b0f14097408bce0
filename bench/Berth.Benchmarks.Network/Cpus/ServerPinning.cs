using System.Globalization;
using Berth.Benchmarks.Network.Processes;

namespace Berth.Benchmarks.Network.Cpus;

/// <summary>
/// Pins this process, the host, for a pinned phase (<c>taskset -a -p</c>: every thread it has; threads and
/// processes made later inherit it, the containers and nginx among them) and gives it back all the CPUs it had when
/// it is disposed. wrk is pinned where it is started instead, on a CPU of its own.
/// </summary>
internal sealed class ServerPinning : IAsyncDisposable
{
    private readonly string _taskset;
    private readonly string _restore;

    private ServerPinning(string taskset, string restore)
    {
        _taskset = taskset;
        _restore = restore;
    }

    /// <summary>Pins this process to the phase's server CPUs; nothing for an unpinned phase.</summary>
    public static async Task<ServerPinning?> ApplyAsync(CpuPhase phase, string? taskset)
    {
        if (phase.ServerCpus is not { } servers)
        {
            return null;
        }

        var pinning = new ServerPinning(taskset ?? throw new InvalidOperationException("A pinned phase needs taskset."), CpuList.Format(CpuList.Allowed()));
        try
        {
            await pinning.SetAsync(servers).ConfigureAwait(false);
            return pinning;
        }
        catch
        {
            await pinning.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await SetAsync(_restore).ConfigureAwait(false);

    private async Task SetAsync(string cpus)
    {
        string[] arguments = ["-a", "-p", "-c", cpus, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)];
        var result = await ToolProcess.RunAsync(_taskset, arguments, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }
    }
}
