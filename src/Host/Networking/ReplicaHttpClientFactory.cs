using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Host.Networking;

/// <summary>
/// The proxy's HTTP clients connect to replicas, not to host names: a destination's host is a replica's name
/// (<c>catalog-1</c>), and the connection is a socket made inside that replica's network namespace to the port on
/// its loopback.
/// </summary>
internal sealed class ReplicaHttpClientFactory(ReplicaTable replicas) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = ConnectAsync;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var name = context.DnsEndPoint.Host;
        if (!replicas.TryGet(name, out var replica))
        {
            // Stopped between the balancer's choice and the connect: a connect failure, so the request is retried.
            throw new SocketException((int)SocketError.ConnectionRefused, $"Replica {name} is not running.");
        }

        var socket = await replica.Connect(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
        socket.NoDelay = true;
        return new NetworkStream(socket, ownsSocket: true);
    }
}
