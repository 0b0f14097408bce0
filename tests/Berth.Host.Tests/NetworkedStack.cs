using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Host.Networking;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;

namespace Berth.Host.Tests;

/// <summary>
/// A stack's network with real containers: the test backend runs in the .NET template, one container per replica,
/// each with its own network namespace; the host's gateway and mesh route to them as the orchestrator will.
/// </summary>
internal sealed class NetworkedStack : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ContainerRuntime _runtime;
    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, RunningReplica> _running = new(StringComparer.Ordinal);

    private NetworkedStack(StackDefinition stack, StackNetwork network)
    {
        Stack = stack;
        Network = network;
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = $"berth/test-{Guid.NewGuid():N}" });
    }

    public StackDefinition Stack { get; }

    public StackNetwork Network { get; }

    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>
    /// catalog (two replicas, health-checked), orders (may call catalog and cache), cache (raw TCP, published on a
    /// free host port), storefront and payments (call nothing), empty (never started). The HTTP services all serve
    /// on 8080.
    /// </summary>
    public static StackDefinition Shop { get; } = new()
    {
        Name = "shop",
        Environment = "test",
        DotnetEnvironment = "Test",
        SourceDirectory = "/stacks/shop",
        Services =
        [
            Service("catalog", ["/api/catalog"], replicas: 2) with
            {
                Health = new HealthCheckDefinition { Kind = HealthCheckKind.Http, HttpPath = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Retries = 1 },
            },
            // On catalog's port, as ASP.NET Core services usually are: catalog answers on 8080 inside orders all the same.
            Service("orders", ["/api/orders"]) with { DependsOn = [new ServiceDependency("catalog"), new ServiceDependency("cache")] },
            Service("cache", []) with { Protocol = ServiceProtocol.Tcp, Port = 6379, Ports = [new PortMapping(0, 6379)] },
            Service("storefront", ["/shop"]),
            Service("payments", []),
            Service("empty", ["/api/empty"]),
        ],
    };

    public static async Task<NetworkedStack> StartAsync(StackDefinition stack, params string[] services)
    {
        var network = await StackNetwork.StartAsync(stack, new IPEndPoint(IPAddress.Loopback, 0));
        var started = new NetworkedStack(stack, network);
        try
        {
            started.Gateway = new HttpClient { BaseAddress = network.GatewayAddress, Timeout = Patience };
            await Task.WhenAll(services.SelectMany(name => Enumerable.Range(1, stack.GetService(name).Replicas).Select(i => started.StartReplicaAsync(name, i))));
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts replica <paramref name="index"/> of a service, waits until it answers, and gives it to the network.</summary>
    public async Task<Container> StartReplicaAsync(string service, int index)
    {
        var definition = Stack.GetService(service);
        var name = $"{service}-{index}";
        var environment = new Dictionary<string, string>(ServiceNetworkPlan.Environment(Stack, definition)) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        if (definition.Protocol == ServiceProtocol.Tcp)
        {
            environment["BACKEND_TCP_ECHO"] = "1";
        }

        var container = await _runtime.StartAsync(new ContainerSpec
        {
            Id = $"{name}-{Guid.NewGuid():N}"[..24],
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = [$"{DotnetRootFilesystem.AppMountPoint}/Berth.Host.TestBackend.dll"],
            Environment = environment,
            Hostname = name,
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            ReadOnlyRoot = true,
            Hosts = ServiceNetworkPlan.Hosts(Stack, definition, Network.Addresses),
        });
        try
        {
            var mesh = await Network.OpenMeshAsync(definition, container.Network);
            var replica = new ReplicaEndpoint(service, index, definition.Port!.Value, (endPoint, token) => container.Network.ConnectAsync(endPoint, token));
            _running[name] = new RunningReplica(container, mesh, replica);
            await WaitUntilAnsweringAsync(container, definition);
            Network.Replicas.Add(replica);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills a replica with SIGKILL, as a crash would, and leaves it in the network (as the orchestrator would until it noticed).</summary>
    public async Task KillReplicaAsync(string name)
    {
        var running = _running[name];
        running.Container.Signal(9);
        await running.Container.Exited;
    }

    /// <summary>Takes a replica out of the network and removes its container.</summary>
    public async Task StopReplicaAsync(string name)
    {
        if (_running.TryRemove(name, out var running))
        {
            Network.Replicas.Remove(running.Replica);
            await running.Mesh.DisposeAsync();
            await running.Container.DisposeAsync();
        }
    }

    public Container Replica(string name) => _running[name].Container;

    /// <summary>GET through the backend's <c>/call</c> from inside <paramref name="replica"/>: what that container gets for <paramref name="url"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> CallFromAsync(string replica, string url)
    {
        using var client = DirectClient(_running[replica].Container, Stack.GetService(replica[..replica.LastIndexOf('-')]).Port!.Value);
        using var response = await client.GetAsync($"/call?url={Uri.EscapeDataString(url)}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An HTTP client whose connections are made inside the container, straight to the service's port.</summary>
    public static HttpClient DirectClient(Container container, int port) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) => new NetworkStream(await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token), ownsSocket: true),
    })
    {
        BaseAddress = new Uri($"http://replica:{port}/"),
        Timeout = Patience,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _running.Keys.ToList())
        {
            await StopReplicaAsync(name);
        }

        Gateway?.Dispose();
        await Network.DisposeAsync();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    private static ServiceDefinition Service(string name, string[] routes, int replicas = 1) => new()
    {
        Name = name,
        Project = $"../{name}/{name}.csproj",
        Port = 8080,
        Replicas = replicas,
        Routes = [.. routes],
    };

    /// <summary>Waits for the service's first answer: an event (it starts listening), with a generous bound.</summary>
    private static async Task WaitUntilAnsweringAsync(Container container, ServiceDefinition service)
    {
        var port = service.Port!.Value;
        using var client = DirectClient(container, port);
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            if (container.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The backend exited before it answered: {await container.Exited}: {await container.StandardError.ReadToEndAsync()}");
            }

            try
            {
                if (service.Protocol == ServiceProtocol.Tcp)
                {
                    using var socket = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), patience.Token);
                    return;
                }

                using var response = await client.GetAsync("/health", patience.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, patience.Token);
        }
    }

    private sealed record RunningReplica(Container Container, IAsyncDisposable Mesh, ReplicaEndpoint Replica);
}
