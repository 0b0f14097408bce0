using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Networking;

/// <summary>
/// A layer-4 forwarder: every connection accepted on its listening socket (inside a dependent's container for a
/// <c>protocol = "tcp"</c> service, or on the host for a published port) is joined to a new connection to a replica
/// of the service, round robin; a replica that refuses is skipped for the next. Bytes are copied both ways until
/// each side has closed its half, so protocols that half-close (and databases that hold a connection open for
/// hours) work as if connected directly.
/// </summary>
internal sealed partial class TcpForwarder : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly string _service;
    private readonly int _port;
    private readonly ReplicaTable _replicas;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _relays = new();
    private readonly AcceptLoop _loop;
    private int _next;

    /// <param name="listener">A listening socket; the forwarder owns it.</param>
    /// <param name="service">The service whose replicas take the connections.</param>
    /// <param name="port">The port the replicas listen on inside their containers.</param>
    public TcpForwarder(Socket listener, string service, int port, ReplicaTable replicas, ILogger logger)
    {
        _service = service;
        _port = port;
        _replicas = replicas;
        _logger = logger;
        _loop = new AcceptLoop(listener, service, (client, stopping) =>
        {
            var relay = RelayAsync(client);
            _relays.TryAdd(relay, 0);
            _ = relay.ContinueWith(done => _relays.TryRemove(done, out _), TaskScheduler.Default);
            return ValueTask.CompletedTask;
        }, logger);
    }

    public EndPoint? LocalEndPoint => _loop.LocalEndPoint;

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            using var server = await ConnectToReplicaAsync().ConfigureAwait(false);
            if (server is null)
            {
                // Nothing to forward to: the caller sees the connection close, as with a refused one.
                return;
            }

            server.NoDelay = true;
            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
        }
    }

    private async Task<Socket?> ConnectToReplicaAsync()
    {
        var candidates = _replicas.Snapshot().Where(r => r.Service == _service).ToList();
        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < candidates.Count; i++)
        {
            var replica = candidates[(int)((uint)(start + i) % (uint)candidates.Count)];
            try
            {
                return await replica.Connect(new IPEndPoint(IPAddress.Loopback, _port), _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ObjectDisposedException)
            {
                LogConnectFailed(_logger, replica.Name, _port, e.Message);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        LogNoReplica(_logger, _service);
        return null;
    }

    /// <summary>Copies one direction; at its end passes the half-close on, or a reset as a reset.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side failed or the forwarder stops: both connections go.
            from.Close(0);
            to.Close(0);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_relays.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replica {Replica} did not accept a connection on port {Port}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string replica, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A connection for {Service} was closed: no replica accepted it")]
    private static partial void LogNoReplica(ILogger logger, string service);
}
