using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// A service's health check as a readiness probe: Berth takes an unhealthy replica out of the network and does not
/// restart it, which is what readiness means to a Service (liveness would restart it). Failures before the first
/// pass only keep a pod unready, so <c>start_period</c> needs no counterpart.
/// </summary>
internal static class KubernetesProbes
{
    public static V1Probe? Readiness(KubernetesExportContext context, ServiceDefinition service)
    {
        if (service.Health is not { } health)
        {
            return null;
        }

        var probe = new V1Probe
        {
            PeriodSeconds = Seconds(context, service, health.Interval, "interval"),
            TimeoutSeconds = Seconds(context, service, health.Timeout, "timeout"),
            FailureThreshold = Math.Max(1, health.Retries),
        };
        switch (health.Kind)
        {
            case HealthCheckKind.Command:
                probe.Exec = new V1ExecAction { Command = [.. health.Command] };
                return probe;
            case HealthCheckKind.Http when service.Port is { } port:
                probe.HttpGet = new V1HTTPGetAction { Path = health.HttpPath, Port = port };
                return probe;
            case HealthCheckKind.Tcp when service.Port is { } port:
                probe.TcpSocket = new V1TCPSocketAction { Port = port };
                return probe;
            default:
                context.Warn("an http or tcp health check needs the service's port, and the service has none: no probe.", "services", service.Name, "health");
                return null;
        }
    }

    private static int Seconds(KubernetesExportContext context, ServiceDefinition service, TimeSpan duration, string key)
    {
        var seconds = KubernetesQuantities.Seconds(duration);
        if (TimeSpan.FromSeconds(seconds) != duration)
        {
            context.Warn($"Kubernetes counts probe times in whole seconds (at least 1): {DurationJsonConverter.Format(duration)} is {seconds}s.", "services", service.Name, "health", key);
        }

        return seconds;
    }
}
