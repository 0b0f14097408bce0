using System.Net;
using System.Net.Sockets;

namespace Berth.Host.Networking;

/// <summary>Opens a TCP connection to <paramref name="endPoint"/> inside one replica's network (its namespace).</summary>
public delegate ValueTask<Socket> ReplicaConnector(IPEndPoint endPoint, CancellationToken cancellationToken);

/// <summary>
/// A running replica as the network sees it: the service it belongs to, its number, the port it listens on inside
/// its container, and how to reach that port (a socket made inside the container's network namespace).
/// </summary>
public sealed record ReplicaEndpoint(string Service, int Index, int Port, ReplicaConnector Connect)
{
    /// <summary>The replica's name in routing: <c>SERVICE-INDEX</c>, e.g. <c>catalog-1</c>, as Compose names containers.</summary>
    public string Name => $"{Service}-{Index}";
}
