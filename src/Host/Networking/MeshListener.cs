using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Networking;

/// <summary>
/// A listening socket inside one container's network, on the loopback address of a service that container may call:
/// what it accepts goes to the host's Kestrel as a connection for that service, and from there through the proxy to
/// one of the service's replicas. The socket was made inside the container's namespace, so only that container can
/// connect to it.
/// </summary>
internal sealed class MeshListener : IAsyncDisposable
{
    private readonly AcceptLoop _loop;

    public MeshListener(Socket socket, string target, MeshConnectionQueue queue, SocketConnectionContextFactory connections, ILogger logger) =>
        _loop = new AcceptLoop(socket, target, async (accepted, _) =>
        {
            var connection = connections.Create(accepted);
            if (!queue.TryEnqueue(connection, target))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }, logger);

    public System.Net.EndPoint? LocalEndPoint => _loop.LocalEndPoint;

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
