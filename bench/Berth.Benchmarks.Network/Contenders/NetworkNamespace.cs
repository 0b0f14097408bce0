using System.Net;
using System.Net.Sockets;

namespace Berth.Benchmarks.Network.Contenders;

/// <summary>Opens a TCP connection to <paramref name="endPoint"/> from inside one network namespace.</summary>
internal delegate ValueTask<Socket> NamespaceConnector(IPEndPoint endPoint, CancellationToken cancellationToken);

/// <summary>
/// Where wrk runs for a contender: the host's network, or a container's (entered with <c>nsenter --net</c> through
/// the container's first process). <see cref="Connect"/> reaches the same place from the harness, to check a path
/// answers before it is measured.
/// </summary>
internal sealed record NetworkNamespace(string Label, int? Pid, NamespaceConnector Connect)
{
    public static NetworkNamespace Host { get; } = new("host", null, ConnectOnHostAsync);

    /// <summary>The network namespace of a container's first process, as nsenter takes it.</summary>
    public string? Path => Pid is { } pid ? $"/proc/{pid}/ns/net" : null;

    private static async ValueTask<Socket> ConnectOnHostAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
