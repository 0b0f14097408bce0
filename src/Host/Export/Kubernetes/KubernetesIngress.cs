using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// The gateway's routes as one Ingress. A route is a path prefix matched by whole segments, the longest first, and
/// the path goes to the service unchanged: an Ingress path of type Prefix, to the service's Service.
/// </summary>
internal static class KubernetesIngress
{
    public static V1Ingress? For(KubernetesExportContext context)
    {
        var routes = context.Stack.Services
            .SelectMany(s => s.Routes.Select(route => (Route: route, Service: s)))
            .OrderBy(r => r.Route, StringComparer.Ordinal)
            .ToList();
        if (routes.Count == 0)
        {
            return null;
        }

        var gateway = context.Stack.Gateway;
        if (gateway.Port != 80)
        {
            context.Warn($"an Ingress is served on the ingress controller's ports (80, and 443 with TLS), not on {gateway.Port}.", "gateway", "port");
        }

        if (gateway.Bind != "0.0.0.0")
        {
            context.Warn($"an Ingress is reachable wherever the ingress controller is exposed, not only on {gateway.Bind}.", "gateway", "bind");
        }

        var paths = new List<V1HTTPIngressPath>();
        foreach (var (route, service) in routes)
        {
            if (service.Port is null)
            {
                context.Warn("a route needs the service's port, and the service has none: the route is left out.", "services", service.Name, "routes");
                continue;
            }

            paths.Add(new V1HTTPIngressPath
            {
                Path = route,
                PathType = "Prefix",
                Backend = new V1IngressBackend
                {
                    Service = new V1IngressServiceBackend { Name = context.Names.Service(service), Port = new V1ServiceBackendPort { Name = KubernetesPods.PortName(service) } },
                },
            });
        }

        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = context.Names.Stack, Labels = context.StackLabels() },
            Spec = new V1IngressSpec { Rules = [new V1IngressRule { Http = new V1HTTPIngressRuleValue { Paths = paths } }] },
        };
    }
}
