using System.Globalization;
using System.Net;
using Berth.Benchmarks.Network.Contenders;
using Berth.Host;
using Berth.Host.Networking;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.Network.Backend;

/// <summary>
/// <see cref="BenchStack"/> running as the orchestrator would run it (the way the host's networking tests do): a
/// <see cref="StackNetwork"/> in this process (gateway, mesh, published port), the backend in a container of the
/// .NET template with its own network namespace, registered as the service's one replica, and the caller in a
/// second container with the mesh's listeners for the backend opened inside it.
/// </summary>
internal sealed class BenchTopology : IAsyncDisposable
{
    private readonly ContainerRuntime _runtime;
    private readonly Stack<Func<ValueTask>> _teardown = new();

    private BenchTopology(NetworkWorkspace workspace) =>
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = workspace.BerthState, CgroupParent = workspace.CgroupParent });

    public StackNetwork Network { get; private set; } = null!;

    public Container Backend { get; private set; } = null!;

    public Container Caller { get; private set; } = null!;

    /// <summary>The backend's own address inside its namespace.</summary>
    public static Uri DirectUrl { get; } = new($"http://127.0.0.1:{BenchStack.BackendPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The backend as the caller reaches it: its mesh address (what the caller's /etc/hosts names), its port.</summary>
    public Uri MeshUrl => new($"http://{Network.Addresses[BenchStack.Backend]}:{ServiceNetworkPlan.MeshPorts(BackendDefinition)[0].ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The published port: the layer-4 forwarder on host loopback.</summary>
    public Uri PublishedUrl => new($"http://{Network.PublishedPorts.Single().EndPoint}/");

    private static ServiceDefinition BackendDefinition => BenchStack.Definition.GetService(BenchStack.Backend);

    private static ServiceDefinition CallerDefinition => BenchStack.Definition.GetService(BenchStack.Caller);

    public static async Task<BenchTopology> StartAsync(NetworkWorkspace workspace, CancellationToken cancellationToken)
    {
        var topology = new BenchTopology(workspace);
        try
        {
            await topology.StartAllAsync(cancellationToken).ConfigureAwait(false);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything in the reverse order of its start; a step that fails does not stop the ones after it.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception> problems = [];
        while (_teardown.TryPop(out var step))
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                problems.Add(e);
            }
        }

        if (problems.Count > 0)
        {
            throw new AggregateException("The benchmark's stack was not torn down completely.", problems);
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        Network = await StackNetwork.StartAsync(BenchStack.Definition, new IPEndPoint(IPAddress.Loopback, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        _teardown.Push(Network.DisposeAsync);

        Backend = await StartContainerAsync(BackendDefinition, BenchBackend.BackendArgument, cancellationToken).ConfigureAwait(false);
        var backend = Backend;
        await HttpProbe.WaitUntilAnsweringAsync((endPoint, token) => backend.Network.ConnectAsync(endPoint, token), DirectUrl, backend.Exited, cancellationToken).ConfigureAwait(false);
        var replica = new ReplicaEndpoint(BenchStack.Backend, 1, BenchStack.BackendPort, (endPoint, token) => backend.Network.ConnectAsync(endPoint, token));
        Network.Replicas.Add(replica);
        _teardown.Push(() =>
        {
            Network.Replicas.Remove(replica);
            return ValueTask.CompletedTask;
        });

        Caller = await StartContainerAsync(CallerDefinition, BenchBackend.IdleArgument, cancellationToken).ConfigureAwait(false);
        var caller = Caller;
        var mesh = await Network.OpenMeshAsync(CallerDefinition, caller.Network, cancellationToken).ConfigureAwait(false);
        _teardown.Push(mesh.DisposeAsync);
    }

    /// <summary>A container of the .NET template running this assembly in the given mode, with the service's network plan.</summary>
    private async Task<Container> StartContainerAsync(ServiceDefinition service, string mode, CancellationToken cancellationToken)
    {
        var stack = BenchStack.Definition;
        var environment = new Dictionary<string, string>(ServiceNetworkPlan.Environment(stack, service), StringComparer.Ordinal)
        {
            // What an ASP.NET Core project gets from the Web SDK (ServerGarbageCollection); this assembly is a console app.
            ["DOTNET_gcServer"] = "1",
        };
        var container = await _runtime.StartAsync(new ContainerSpec
        {
            Id = $"{service.Name}-{Guid.NewGuid():N}"[..24],
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = [$"{DotnetRootFilesystem.AppMountPoint}/{typeof(BenchTopology).Assembly.GetName().Name}.dll", mode],
            Environment = environment,
            Hostname = $"{service.Name}-1",
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            ReadOnlyRoot = true,
            Hosts = ServiceNetworkPlan.Hosts(stack, service, Network.Addresses),
        }, cancellationToken).ConfigureAwait(false);
        _teardown.Push(container.DisposeAsync);
        return container;
    }
}
