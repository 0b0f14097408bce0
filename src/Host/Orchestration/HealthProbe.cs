using System.Net;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// One kind of health check, run against one container from inside its network: the check reaches the service the
/// way its neighbours would, on the container's loopback, without any port published on the host.
/// </summary>
internal abstract class HealthProbe : IDisposable
{
    /// <summary>Completes when the service is healthy; throws <see cref="HealthCheckFailedException"/> or a socket or HTTP error when not.</summary>
    public abstract Task CheckAsync(CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }

    /// <summary>The probe for <paramref name="check"/> on <paramref name="port"/> of <paramref name="container"/>.</summary>
    public static HealthProbe For(HealthCheckDefinition check, int port, Container container)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        return check.Kind switch
        {
            HealthCheckKind.Http => new HttpHealthProbe(container, endPoint, check.HttpPath ?? "/"),
            HealthCheckKind.Tcp => new TcpHealthProbe(container, endPoint),
            _ => throw new NotSupportedException($"Health checks of kind {check.Kind} are not supported."),
        };
    }
}
