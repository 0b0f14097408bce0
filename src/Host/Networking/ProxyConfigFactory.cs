using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Berth.Host.Networking;

/// <summary>
/// The proxy's routes and clusters for a stack and the replicas running now: one cluster per HTTP service (its
/// replicas are the destinations), a gateway route per path prefix in <c>routes</c>, and a mesh route per service
/// that only connections accepted for that service inside a dependent's container can take.
/// </summary>
internal static class ProxyConfigFactory
{
    /// <summary>
    /// Set by the host on requests that arrived on a mesh listener, naming the service that listener is for; removed
    /// from anything that arrives from outside, and from every request before it is forwarded.
    /// </summary>
    public const string MeshTargetHeader = "X-Berth-Mesh-Target";

    public static string ClusterId(string service) => $"service:{service}";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Create(StackDefinition stack, IReadOnlyList<ReplicaEndpoint> replicas)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(replicas);
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var service in stack.Services.Where(IsHttp).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            clusters.Add(Cluster(service, replicas.Where(r => r.Service == service.Name)));
            routes.Add(MeshRoute(service));
            routes.AddRange(service.Routes.Select(prefix => GatewayRoute(service, prefix)));
        }

        return (routes, clusters);
    }

    public static bool IsHttp(ServiceDefinition service) =>
        service.Protocol == ServiceProtocol.Http && service.Port is not null && service.Network == NetworkMode.Isolated;

    // Active health is the orchestrator's: its health monitor adds a replica to the cluster on the first pass of the
    // service's check and takes it out when the check fails (ReplicaTable), so YARP does not probe again on its own.
    private static ClusterConfig Cluster(ServiceDefinition service, IEnumerable<ReplicaEndpoint> replicas) => new()
    {
        ClusterId = ClusterId(service.Name),
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = replicas.ToDictionary(
            r => r.Name,
            // The host name is the replica's name: the connect callback, not DNS, turns it into a socket.
            r => new DestinationConfig { Address = $"http://{r.Name}:{r.Port}/" },
            StringComparer.Ordinal),
        HealthCheck = new HealthCheckConfig
        {
            // A replica that refuses or resets connections gets no traffic for a while.
            Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate, ReactivationPeriod = TimeSpan.FromSeconds(10) },
        },
    };

    private static RouteConfig MeshRoute(ServiceDefinition service) => new()
    {
        RouteId = $"mesh:{service.Name}",
        ClusterId = ClusterId(service.Name),
        Match = new RouteMatch
        {
            Path = "/{**path}",
            Headers = [new RouteHeader { Name = MeshTargetHeader, Values = [service.Name], Mode = HeaderMatchMode.ExactHeader, IsCaseSensitive = true }],
        },
        Transforms = CommonTransforms,
    };

    private static RouteConfig GatewayRoute(ServiceDefinition service, string prefix)
    {
        var trimmed = prefix.TrimEnd('/');
        return new RouteConfig
        {
            RouteId = $"gateway:{service.Name}:{prefix}",
            ClusterId = ClusterId(service.Name),
            // The longest prefix wins, as in every path router.
            Order = -trimmed.Length,
            Match = new RouteMatch
            {
                // The prefix itself, and everything below it; the path goes to the service unchanged.
                Path = $"{trimmed}/{{**path}}",
                Headers = [new RouteHeader { Name = MeshTargetHeader, Mode = HeaderMatchMode.NotExists }],
            },
            Transforms = CommonTransforms,
        };
    }

    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> CommonTransforms =
    [
        new Dictionary<string, string> { ["RequestHeaderRemove"] = MeshTargetHeader },
        // The service sees the host name its caller used (catalog, or the gateway's), not the replica's.
        new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" },
    ];
}
