using System.Net;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary><c>health = { tcp = true }</c>: the service's port accepts a connection.</summary>
internal sealed class TcpHealthProbe(Container container, IPEndPoint endPoint) : HealthProbe
{
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var socket = await container.Network.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
    }
}
