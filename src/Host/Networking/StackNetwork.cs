using System.Net;
using System.Net.Sockets;
using Berth.Runtime.Networking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Host.Networking;

/// <summary>
/// The stack's network, run by the host: one Kestrel with YARP that serves the gateway (on the host, at the stack's
/// <c>[gateway]</c> address) and the routes between services (listeners inside each container, for exactly the
/// services it declared). Replicas join and leave through <see cref="Replicas"/>; the routing follows without
/// dropping other traffic.
/// </summary>
public sealed class StackNetwork : IAsyncDisposable
{
    private readonly StackDefinition _stack;
    private readonly WebApplication _app;
    private readonly MeshConnectionQueue _queue;
    private readonly SocketConnectionContextFactory _connections;
    private readonly InMemoryConfigProvider _config;
    private readonly ILogger _logger;
    private readonly object _configLock = new();

    private StackNetwork(StackDefinition stack, WebApplication app, MeshConnectionQueue queue, ReplicaTable replicas, ILoggerFactory loggerFactory)
    {
        _stack = stack;
        _app = app;
        _queue = queue;
        Replicas = replicas;
        Addresses = MeshAddresses.For(stack);
        _config = app.Services.GetRequiredService<InMemoryConfigProvider>();
        _logger = loggerFactory.CreateLogger("Berth.Network");
        _connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), _logger);
        replicas.Changed += UpdateRoutes;
    }

    /// <summary>The replicas traffic may go to; add one when it is up, remove it when it stops.</summary>
    public ReplicaTable Replicas { get; }

    public MeshAddresses Addresses { get; }

    /// <summary>Where the gateway listens, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri GatewayAddress { get; private set; } = null!;

    /// <summary>Starts the gateway (on the stack's bind address and port unless <paramref name="gatewayEndPoint"/> says otherwise).</summary>
    public static async Task<StackNetwork> StartAsync(StackDefinition stack, IPEndPoint? gatewayEndPoint = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        loggerFactory ??= NullLoggerFactory.Instance;
        gatewayEndPoint ??= new IPEndPoint(IPAddress.Parse(stack.Gateway.Bind), stack.Gateway.Port);
        var replicas = new ReplicaTable();
        var queue = new MeshConnectionQueue();
        var (routes, clusters) = ProxyConfigFactory.Create(stack, []);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = $"berth-{stack.Name}" });
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(gatewayEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(queue.EndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton<IConnectionListenerFactory>(new MeshTransport(queue));
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        WithoutDataProtectionStartup(builder.Services);
        builder.Services.AddSingleton<IForwarderHttpClientFactory>(new ReplicaHttpClientFactory(replicas));

        var app = builder.Build();
        app.Use(MeshTargetMiddleware.InvokeAsync);
        app.UseRouting();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(NoReplicaMiddleware.InvokeAsync);
            proxy.Use(ConnectRetryMiddleware.InvokeAsync);
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.MapFallback(context => NotFoundAsync(context, stack));

        var network = new StackNetwork(stack, app, queue, replicas, loggerFactory);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            network.PublishPorts();
        }
        catch (IOException e)
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The gateway cannot listen on {gatewayEndPoint}: {e.Message} (set [gateway] port in stack.toml to a free port).", e);
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a))
            .First(a => a.Scheme == Uri.UriSchemeHttp);
        network.GatewayAddress = new UriBuilder(bound) { Host = gatewayEndPoint.Address.ToString(), Path = "/" }.Uri;
        return network;
    }

    /// <summary>
    /// YARP registers ASP.NET Core data protection for its session-affinity cookies, which no Berth cluster uses. As
    /// registered, its hosted service and the affinity policies' protectors load, and on a machine's first run create,
    /// a key ring under <c>~/.aspnet</c> at every start: files outside Berth's state directory, and XML and
    /// cryptography (about 10 MB) loaded into the host for nothing. Without both, data protection is never touched.
    /// </summary>
    private static void WithoutDataProtectionStartup(IServiceCollection services)
    {
        var unused = services.Where(d => d.ServiceType == typeof(Yarp.ReverseProxy.SessionAffinity.ISessionAffinityPolicy)
            || (d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
                && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")).ToList();
        foreach (var descriptor in unused)
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>
    /// Opens, inside a container of <paramref name="service"/> (whose network is <paramref name="containerNetwork"/>),
    /// a listener for every service it declared (see <see cref="ServiceNetworkPlan.Listeners"/>). Each is steered to
    /// (<see cref="ContainerNetwork.ListenSteered"/>): it gets the connections to its dependency's address and port
    /// even when the service listens on that port itself, on all addresses. Dispose the result when the container
    /// stops.
    /// </summary>
    public async Task<IAsyncDisposable> OpenMeshAsync(ServiceDefinition service, ContainerNetwork containerNetwork, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(containerNetwork);
        var listeners = new List<IAsyncDisposable>();
        try
        {
            foreach (var endPoint in ServiceNetworkPlan.Listeners(_stack, service, Addresses))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var socket = containerNetwork.ListenSteered(endPoint.EndPoint);
                listeners.Add(endPoint.Protocol == ServiceProtocol.Http
                    ? new MeshListener(socket, endPoint.Target, _queue, _connections, _logger)
                    : new TcpForwarder(socket, endPoint.Target, endPoint.EndPoint.Port, Replicas, _logger));
            }
        }
        catch
        {
            await DisposeAllAsync(listeners).ConfigureAwait(false);
            throw;
        }

        return new MeshListeners(listeners);
    }

    /// <summary>
    /// The services' published ports (<c>ports = ["HOST:CONTAINER"]</c>), each a forwarder on host loopback to the
    /// container port of the service's replicas. Host port 0 takes a free port: see <see cref="PublishedPort.EndPoint"/>.
    /// </summary>
    public IReadOnlyList<PublishedPort> PublishedPorts => _published;

    private List<PublishedPort> _published = [];

    private void PublishPorts()
    {
        foreach (var service in _stack.Services)
        {
            foreach (var mapping in service.Ports)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, mapping.HostPort));
                    socket.Listen(512);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    throw new InvalidOperationException($"Service '{service.Name}' publishes port {mapping.HostPort}, which cannot be used on 127.0.0.1: {e.Message} (change `ports` in stack.toml).", e);
                }

                var forwarder = new TcpForwarder(socket, service.Name, mapping.ContainerPort, Replicas, _logger);
                _published.Add(new PublishedPort(service.Name, mapping, (IPEndPoint)socket.LocalEndPoint!) { Forwarder = forwarder });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var published in _published)
        {
            await published.Forwarder.DisposeAsync().ConfigureAwait(false);
        }

        _published = [];
        Replicas.Changed -= UpdateRoutes;
        await _app.StopAsync().ConfigureAwait(false);
        _queue.Complete();
        await _app.DisposeAsync().ConfigureAwait(false);
        _connections.Dispose();
    }

    private void UpdateRoutes()
    {
        // Each update builds from a snapshot, under a lock so an older snapshot never lands after a newer one.
        lock (_configLock)
        {
            var (routes, clusters) = ProxyConfigFactory.Create(_stack, Replicas.Snapshot());
            _config.Update(routes, clusters);
        }
    }

    private static Task NotFoundAsync(HttpContext context, StackDefinition stack)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var routes = stack.Services
            .SelectMany(s => s.Routes.Select(r => $"  {r} -> {s.Name}"))
            .Order(StringComparer.Ordinal);
        return context.Response.WriteAsync($"Berth: no route of stack '{stack.Name}' matches {context.Request.Path}. Routes:\n{string.Join("\n", routes)}\n");
    }

    private static async Task DisposeAllAsync(IEnumerable<IAsyncDisposable> items)
    {
        foreach (var item in items)
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A published port: the service, the mapping, where it listens on the host.</summary>
    public sealed record PublishedPort(string Service, PortMapping Mapping, IPEndPoint EndPoint)
    {
        internal TcpForwarder Forwarder { get; init; } = null!;
    }

    private sealed class MeshListeners(List<IAsyncDisposable> listeners) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(DisposeAllAsync(listeners));
    }
}
