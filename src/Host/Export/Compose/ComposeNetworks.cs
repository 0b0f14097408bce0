using Berth.Host.Networking;

namespace Berth.Host.Export.Compose;

/// <summary>
/// Berth's default-deny in Compose, which has no policies, only networks: every container on a network reaches the
/// others on it. So each connection the stack allows gets a network of its own, with just its two ends:
/// <c>orders-to-catalog</c> for orders, which declares catalog. A service is on the networks of the services it
/// declares and of those that declare it, and nowhere else; one on none has no network at all. The networks are
/// internal (no way out of the host, as a Berth service has none); only the gateway's, and that of a service
/// that publishes ports, are not, since Docker publishes ports only from those.
/// </summary>
internal static class ComposeNetworks
{
    /// <summary>The network between <paramref name="from"/>, which opens connections, and <paramref name="to"/>.</summary>
    public static string Between(string from, string to) => $"{from}-to-{to}";

    public static string Published(string service) => $"{service}-published";

    /// <summary>The networks of <paramref name="service"/>, in a stable order: to its dependencies, from its callers, the gateway's, its published one.</summary>
    public static List<string> Of(StackDefinition stack, ServiceDefinition service, string? gateway)
    {
        var networks = new List<string>();
        networks.AddRange(ServiceNetworkPlan.Reachable(stack, service).Select(d => Between(service.Name, d.Name)));
        networks.AddRange(Callers(stack, service).Select(c => Between(c.Name, service.Name)));
        if (gateway is not null && Routed(service))
        {
            networks.Add(Between(gateway, service.Name));
        }

        if (!service.Ports.IsEmpty)
        {
            networks.Add(Published(service.Name));
        }

        return networks;
    }

    /// <summary>Whether the gateway sends requests to <paramref name="service"/>: it has routes, a port, and a network of its own.</summary>
    public static bool Routed(ServiceDefinition service) => !service.Routes.IsEmpty && service.Port is not null && service.Network == NetworkMode.Isolated;

    /// <summary>The services that declare <paramref name="service"/> and can reach it.</summary>
    public static IEnumerable<ServiceDefinition> Callers(StackDefinition stack, ServiceDefinition service) =>
        stack.Services.Where(s => s.Network == NetworkMode.Isolated && ServiceNetworkPlan.Reachable(stack, s).Contains(service));
}
