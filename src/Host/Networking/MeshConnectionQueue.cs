using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Berth.Host.Networking;

/// <summary>
/// Connections accepted inside containers for the services they may call, on their way into the host's Kestrel.
/// Kestrel binds its listeners once, at start, while containers come and go; so it binds one endpoint of this
/// kind, and the listeners inside containers hand it what they accept.
/// </summary>
internal sealed class MeshConnectionQueue
{
    /// <summary>The connection item naming the service a mesh connection is for.</summary>
    public const string TargetItem = "berth.mesh-target";

    private readonly Channel<ConnectionContext> _connections = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    /// <summary>The endpoint Kestrel binds to take these connections.</summary>
    public EndPoint EndPoint { get; } = new MeshEndPoint();

    public bool TryEnqueue(ConnectionContext connection, string target)
    {
        connection.Items[TargetItem] = target;
        return _connections.Writer.TryWrite(connection);
    }

    public ValueTask<ConnectionContext> DequeueAsync(CancellationToken cancellationToken) => _connections.Reader.ReadAsync(cancellationToken);

    public void Complete() => _connections.Writer.TryComplete();

    /// <summary>Not an address: the mark by which <see cref="MeshTransport"/> knows the endpoint is its own.</summary>
    private sealed class MeshEndPoint : EndPoint
    {
        public override string ToString() => "berth-mesh";
    }
}
