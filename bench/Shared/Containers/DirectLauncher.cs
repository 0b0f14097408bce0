using System.Diagnostics;

namespace Berth.Benchmarks.Containers;

/// <summary>Starts processes from the calling thread, in the host's namespaces.</summary>
internal sealed class DirectLauncher : IProcessLauncher
{
    public static DirectLauncher Instance { get; } = new();

    public Task<(Process Process, long StartTimestamp)> StartAsync(ProcessStartInfo startInfo) => Task.FromResult(Start(startInfo));

    /// <summary>Starts the process from this thread; the timestamp is taken just before.</summary>
    public static (Process Process, long StartTimestamp) Start(ProcessStartInfo startInfo)
    {
        var timestamp = Stopwatch.GetTimestamp();
        return (Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start."), timestamp);
    }
}
