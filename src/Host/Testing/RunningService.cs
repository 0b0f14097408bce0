using System.Net;
using System.Net.Sockets;
using Berth.Host.Networking;
using Berth.Host.Orchestration;

namespace Berth.Host.Testing;

/// <summary>
/// One service of a <see cref="RunningStack"/>: its replicas as they are now, clients that talk to it directly (not
/// through the gateway, so a service without routes is reachable too), and waits for its replicas' states.
/// </summary>
public sealed class RunningService
{
    private readonly Lock _lock = new();
    private readonly ReplicaStatus?[] _replicas;
    private readonly Func<StackNetwork?> _network;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stackStopped;
    private int _next = -1;

    internal RunningService(ServiceDefinition definition, Func<StackNetwork?> network)
    {
        Definition = definition;
        _network = network;
        _replicas = new ReplicaStatus?[definition.Replicas];
    }

    /// <summary>The service's name in stack.toml, and its host name in the stack (<c>http://NAME/</c>).</summary>
    public string Name => Definition.Name;

    /// <summary>The service as it runs (after <see cref="RunningStackOptions.ConfigureStack"/>).</summary>
    public ServiceDefinition Definition { get; }

    /// <summary>Its replicas now, in order (<c>NAME-1</c>, <c>NAME-2</c>, …).</summary>
    public IReadOnlyList<ReplicaStatus> Replicas
    {
        get
        {
            lock (_lock)
            {
                return Snapshot();
            }
        }
    }

    /// <summary>Where the service's <c>ports</c> are published on host loopback (on free ports, see <see cref="RunningStackOptions.ConfigureStack"/>); empty once the stack has stopped.</summary>
    public IReadOnlyList<StackNetwork.PublishedPort> PublishedPorts =>
        _network() is { } network ? [.. network.PublishedPorts.Where(p => p.Service == Name)] : [];

    /// <summary>
    /// A client for the service's HTTP port, base address <c>http://NAME/</c>. Each new connection goes to the next
    /// replica that is ready now (round robin), inside its container's network, as the gateway's would; requests on
    /// a kept-alive connection stay with its replica. Dispose it when done.
    /// </summary>
    /// <exception cref="InvalidOperationException">The service has no <c>port</c>.</exception>
    public HttpClient CreateHttpClient()
    {
        RequirePort();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                socket.NoDelay = true;
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"http://{Name}/") };
    }

    /// <summary>A TCP connection to the service's port on the next replica that is ready now (round robin): for a <c>protocol = "tcp"</c> service.</summary>
    /// <exception cref="InvalidOperationException">The service has no <c>port</c>, or no replica is ready now.</exception>
    public async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken = default)
    {
        RequirePort();
        var ready = (_network() ?? throw new InvalidOperationException($"Service '{Name}' does not run: its stack was stopped."))
            .Replicas.Snapshot()
            .Where(r => r.Service == Name)
            .ToList();
        if (ready.Count == 0)
        {
            throw new InvalidOperationException($"Service '{Name}' has no replica that is ready now ({Describe(Replicas)}).");
        }

        var replica = ready[(int)((uint)Interlocked.Increment(ref _next) % (uint)ready.Count)];
        return await replica.Connect(new IPEndPoint(IPAddress.Loopback, replica.Port), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes when every replica is ready: healthy if the service has a health check, else started. Right after
    /// the start it is; after a restart or an unhealthy spell, this waits until it is again.
    /// </summary>
    /// <exception cref="InvalidOperationException">A replica will not run again (it failed, was stopped, or exited and is not restarted).</exception>
    public Task WaitHealthyAsync(CancellationToken cancellationToken = default) => WaitAsync(
        replicas => replicas.FirstOrDefault(r => r.IsEnded) is { } ended
            ? throw new InvalidOperationException($"Service '{Name}' will not be healthy: {ended}.")
            : replicas.Count == Definition.Replicas && replicas.All(r => r.IsReady),
        cancellationToken);

    /// <summary>Completes when the latest event of every replica is <paramref name="state"/> (e.g. <see cref="ReplicaEventKind.Exited"/> for a job).</summary>
    /// <exception cref="InvalidOperationException">The stack was stopped first.</exception>
    public Task WaitAsync(ReplicaEventKind state, CancellationToken cancellationToken = default) =>
        WaitAsync(replicas => replicas.Count == Definition.Replicas && replicas.All(r => r.State == state), cancellationToken);

    /// <summary>
    /// Completes when <paramref name="condition"/> holds for the replicas (checked now and after each change; it
    /// may throw to give up). A state that passes between two checks is not seen: the latest state counts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stack was stopped first.</exception>
    public async Task WaitAsync(Func<IReadOnlyList<ReplicaStatus>, bool> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            IReadOnlyList<ReplicaStatus> replicas;
            Task changed;
            bool stopped;
            lock (_lock)
            {
                replicas = Snapshot();
                changed = _changed.Task;
                stopped = _stackStopped;
            }

            if (condition(replicas))
            {
                return;
            }

            if (stopped)
            {
                throw new InvalidOperationException($"Service '{Name}' was stopped with its stack before the wait was over ({Describe(replicas)}).");
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override string ToString() => $"{Name}: {Describe(Replicas)}";

    /// <summary>Records a replica's event; raised on the replica's task, so it only updates and wakes the waits.</summary>
    internal void OnReplicaChanged(ReplicaEvent replicaEvent)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            var slot = replicaEvent.Index - 1;
            if (slot < 0 || slot >= _replicas.Length)
            {
                return;
            }

            _replicas[slot] = ReplicaStatus.After(_replicas[slot], replicaEvent, Definition.Health is not null);
            changed = Swap();
        }

        changed.TrySetResult();
    }

    /// <summary>The stack has stopped: waits that have not come true never will.</summary>
    internal void OnStackStopped()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _stackStopped = true;
            changed = Swap();
        }

        changed.TrySetResult();
    }

    private TaskCompletionSource Swap()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }

    private List<ReplicaStatus> Snapshot() => [.. _replicas.OfType<ReplicaStatus>()];

    private int RequirePort() => Definition.Port ?? throw new InvalidOperationException(
        $"Service '{Name}' has no port, so nothing can connect to it; set port in stack.toml.");

    private static string Describe(IReadOnlyList<ReplicaStatus> replicas) =>
        replicas.Count == 0 ? "no replicas" : string.Join(", ", replicas);
}
