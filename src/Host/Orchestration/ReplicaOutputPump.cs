using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// Reads a container's standard output and error line by line into an <see cref="IReplicaOutput"/>. Always running
/// while the container does: a service whose output nobody reads blocks once the pipe is full.
/// </summary>
internal static class ReplicaOutputPump
{
    /// <summary>Completes when both streams have ended, which is when every process of the container has.</summary>
    public static Task Start(Container container, string replica, IReplicaOutput output) => Task.WhenAll(
        Task.Run(() => PumpAsync(container.StandardOutput, replica, ReplicaOutputStream.StandardOutput, output)),
        Task.Run(() => PumpAsync(container.StandardError, replica, ReplicaOutputStream.StandardError, output)));

    private static async Task PumpAsync(StreamReader reader, string replica, ReplicaOutputStream stream, IReplicaOutput output)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                output.Write(replica, stream, line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The container was removed while the last of its output was read: nothing more will come.
        }
    }
}
