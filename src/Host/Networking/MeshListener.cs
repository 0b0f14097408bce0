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
internal sealed partial class MeshListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _target;
    private readonly MeshConnectionQueue _queue;
    private readonly SocketConnectionContextFactory _connections;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public MeshListener(Socket socket, string target, MeshConnectionQueue queue, SocketConnectionContextFactory connections, ILogger logger)
    {
        _socket = socket;
        _target = target;
        _queue = queue;
        _connections = connections;
        _logger = logger;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public System.Net.EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection that went away before it was accepted is the caller's business; keep listening.
                LogAcceptFailed(_logger, _target, e.SocketErrorCode);
                continue;
            }

            accepted.NoDelay = true;
            var connection = _connections.Create(accepted);
            if (!_queue.TryEnqueue(connection, _target))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepting a connection for {Target} failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string target, SocketError error);
}
