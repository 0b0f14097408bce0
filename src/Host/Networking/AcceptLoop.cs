using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Networking;

/// <summary>
/// Accepts connections on a listening socket, which it owns, until disposed, and hands each one on: the one loop
/// behind the mesh's HTTP listeners and the TCP forwarder.
/// </summary>
internal sealed partial class AcceptLoop : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _service;
    private readonly Func<Socket, CancellationToken, ValueTask> _accepted;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="listener">A listening socket.</param>
    /// <param name="service">The service the connections are for (for the log).</param>
    /// <param name="accepted">Takes each accepted connection (with NoDelay set); the token is cancelled on dispose.</param>
    public AcceptLoop(Socket listener, string service, Func<Socket, CancellationToken, ValueTask> accepted, ILogger logger)
    {
        _listener = listener;
        _service = service;
        _accepted = accepted;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public EndPoint? LocalEndPoint => _listener.LocalEndPoint;

    private async Task RunAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection that went away before it was accepted is the caller's business; keep listening.
                LogAcceptFailed(_logger, _service, e.SocketErrorCode);
                continue;
            }

            accepted.NoDelay = true;
            await _accepted(accepted, _stopping.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepting a connection for {Service} failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string service, SocketError error);
}
