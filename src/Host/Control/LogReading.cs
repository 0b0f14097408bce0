using System.Threading.Channels;

namespace Berth.Host.Control;

/// <summary>What <see cref="ReplicaLogs.Read"/> gives: the kept lines, then (when following) the new ones; dispose to stop following.</summary>
internal sealed class LogReading(IReadOnlyList<ReplicaLogLine> kept, ChannelReader<ReplicaLogLine>? following, Action stop) : IDisposable
{
    public IReadOnlyList<ReplicaLogLine> Kept { get; } = kept;

    /// <summary>The lines that come after <see cref="Kept"/>; null when not following.</summary>
    public ChannelReader<ReplicaLogLine>? Following { get; } = following;

    public void Dispose() => stop();
}
