using System.Net;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// One kind of health check, run against one container from inside: over its network, reaching the service the way
/// its neighbours would, on the container's loopback, without any port published on the host; or as a command run
/// in the container.
/// </summary>
internal abstract class HealthProbe : IDisposable
{
    /// <summary>Completes when the service is healthy; throws <see cref="HealthCheckFailedException"/> or a socket or HTTP error when not.</summary>
    public abstract Task CheckAsync(CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }

    /// <summary>
    /// The probe for <paramref name="check"/> on <paramref name="container"/>: on its <paramref name="port"/> (which
    /// the planner made sure an <c>http</c> or <c>tcp</c> check has), or its command run inside.
    /// </summary>
    public static HealthProbe For(HealthCheckDefinition check, int? port, Container container)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port ?? 0);
        return check.Kind switch
        {
            HealthCheckKind.Http => new HttpHealthProbe(container, endPoint, check.HttpPath ?? "/"),
            HealthCheckKind.Tcp => new TcpHealthProbe(container, endPoint),
            HealthCheckKind.Command => new CommandHealthProbe(container, check.Command, check.Timeout),
            _ => throw new NotSupportedException($"Health checks of kind {check.Kind} are not supported."),
        };
    }
}
