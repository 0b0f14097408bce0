using System.Globalization;
using System.Net;
using Berth.Runtime.Filesystem;

namespace Berth.Host.Networking;

/// <summary>A listener the host opens inside a container's network, for one service it may call.</summary>
public sealed record MeshListenEndPoint(IPEndPoint EndPoint, string Target, ServiceProtocol Protocol);

/// <summary>
/// What a service's container needs of the network, from the stack alone: the names it may call in
/// <c>/etc/hosts</c>, the listeners the host opens inside it for them, and the environment that tells .NET (and
/// Aspire-style service discovery) where they are and which port to serve on.
/// </summary>
public static class ServiceNetworkPlan
{
    /// <summary>The dependencies a service can reach: those declared in <c>depends_on</c> that listen on a port in a private network.</summary>
    public static IReadOnlyList<ServiceDefinition> Reachable(StackDefinition stack, ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(service);
        return service.DependsOn
            .Select(d => d.Service)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(stack.GetService)
            .Where(d => d.Port is not null && d.Network == NetworkMode.Isolated)
            .ToList();
    }

    public static IReadOnlyList<HostEntry> Hosts(StackDefinition stack, ServiceDefinition service, MeshAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return Reachable(stack, service).Select(d => new HostEntry(d.Name, addresses[d.Name].ToString())).ToList();
    }

    /// <summary>
    /// For an HTTP dependency, its own port and port 80 (so both <c>http://catalog:8080</c> and <c>http://catalog</c>
    /// work); for a TCP one, its port. Also a port the service itself listens on: the host's listeners are steered
    /// to (<see cref="Berth.Runtime.Networking.ContainerNetwork.ListenSteered"/>), so they get the connections to
    /// the dependency's address and port even though the service holds that port on every address of its network.
    /// </summary>
    public static IReadOnlyList<MeshListenEndPoint> Listeners(StackDefinition stack, ServiceDefinition service, MeshAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return Reachable(stack, service)
            .SelectMany(dependency => MeshPorts(dependency)
                .Select(port => new MeshListenEndPoint(new IPEndPoint(addresses[dependency.Name], port), dependency.Name, dependency.Protocol)))
            .ToList();
    }

    /// <summary>The ports a dependency answers on inside its callers' containers, its own first.</summary>
    public static IReadOnlyList<int> MeshPorts(ServiceDefinition dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        var port = dependency.Port ?? throw new ArgumentException($"Service '{dependency.Name}' has no port to be reached on.", nameof(dependency));
        return dependency.Protocol == ServiceProtocol.Http && port != 80 ? [port, 80] : [port];
    }

    /// <summary>
    /// <c>ASPNETCORE_HTTP_PORTS</c> and <c>PORT</c> for the service's own port; <c>services__NAME__http__0</c> (or
    /// <c>__tcp__0</c>) for each dependency it can reach, as .NET service discovery and Aspire expect.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(StackDefinition stack, ServiceDefinition service) =>
        Environment(stack, service, static dependency => dependency.Name);

    /// <summary>
    /// Like <see cref="Environment(StackDefinition, ServiceDefinition)"/>, with each dependency reached at the host
    /// name <paramref name="hostName"/> gives it (an export's, e.g. a Kubernetes Service's DNS name); the variables
    /// keep the stack's service names, which the service's code looks up.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(StackDefinition stack, ServiceDefinition service, Func<ServiceDefinition, string> hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (service.Port is { } port)
        {
            var text = port.ToString(CultureInfo.InvariantCulture);
            environment["PORT"] = text;
            if (service.Protocol == ServiceProtocol.Http)
            {
                environment["ASPNETCORE_HTTP_PORTS"] = text;
            }
        }

        foreach (var dependency in Reachable(stack, service))
        {
            var scheme = dependency.Protocol == ServiceProtocol.Http ? "http" : "tcp";
            var meshPort = dependency.Port!.Value;
            var host = hostName(dependency);
            var authority = scheme == "http" && meshPort == 80 ? host : $"{host}:{meshPort.ToString(CultureInfo.InvariantCulture)}";
            environment[$"services__{dependency.Name}__{scheme}__0"] = $"{scheme}://{authority}";
        }

        return environment;
    }
}
