using System.Reflection;
using Berth.Host.Configuration;
using Berth.Host.Networking;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Host.Orchestration;

/// <summary>
/// Brings a stack up as containers and takes it down again, as a hosted service. <see cref="StartAsync"/> returns
/// when every service is ready (started; healthy if it has a health check; completed if something waits for it to
/// complete), in <c>depends_on</c> order with independent services in parallel, or throws after removing everything
/// it started. <see cref="StopAsync"/> stops services in the reverse order: each after the services that depend on it.
/// </summary>
public sealed partial class StackOrchestrator : IHostedService, IAsyncDisposable
{
    private StackDefinition _stack;
    private readonly StackOrchestratorOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IReplicaOutput _output;
    private readonly TimeProvider _time;
    private readonly ContainerRuntime _runtime;
    private readonly Lock _lock = new();
    private TaskCompletionSource<ServiceStartException>? _startFailure;
    private Dictionary<string, ServiceRunner> _runners = new(StringComparer.Ordinal);
    private StackPlan? _plan;
    private Task? _stop;
    private bool _started;

    public StackOrchestrator(
        StackDefinition stack,
        IOptions<StackOrchestratorOptions> options,
        ILoggerFactory loggerFactory,
        IReplicaOutput? output = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _stack = stack;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Berth.Orchestration");
        _output = output ?? new LoggerReplicaOutput(loggerFactory);
        _time = time ?? TimeProvider.System;
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _options.StateDirectory, CgroupParent = _options.CgroupParent });
    }

    /// <summary>
    /// Every change in a replica's life, as it happens (raised on the replica's own task; a handler must not block).
    /// Subscribe before <see cref="StartAsync"/> to see the start.
    /// </summary>
    public event EventHandler<ReplicaEvent>? ReplicaChanged;

    public StackDefinition Stack => _stack;

    /// <summary>The stack's network (gateway and mesh) while the stack runs; null before and after.</summary>
    public StackNetwork? Network { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException("The stack was started already; an orchestrator runs its stack once.");
            }

            _started = true;
        }

        var removed = await _runtime.RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false);
        if (removed.Count > 0)
        {
            LogLeftovers(_logger, removed.Count, string.Join(", ", removed));
        }

        // Images first (imports, pulls, unpacking: the slow part), so that a port an image exposes is the service's
        // port for the network and the plan alike.
        // Held until the stack has started (its containers have recorded their layers): a prune meanwhile (image
        // prune, another process) waits rather than sweep an image that is stored but not yet in use.
        var store = new ImageStore(_options.StateDirectory);
        using var storeInUse = _stack.Services.Any(s => s.Image is not null) ? await store.UseAsync(cancellationToken).ConfigureAwait(false) : null;
        var images = await ServiceImages.EnsureAsync(_stack, store, _options.HostVariable, _loggerFactory.CreateLogger("Berth.Images"), cancellationToken).ConfigureAwait(false);
        _stack = ServiceImages.WithDefaultPorts(_stack, images, image => ImageProcess.DefaultPortOf(image.RunConfig));
        // The gateway (Kestrel and YARP, compiled on first use) starts while the plan is made (secrets, the
        // services' files): neither starts anything of the stack, so a failure of either still leaves nothing running.
        var stack = _stack;
        var networkStart = Task.Run(() => StackNetwork.StartAsync(stack, _options.GatewayEndPoint, _loggerFactory, cancellationToken), cancellationToken);
        StackPlan plan;
        try
        {
            plan = StackPlanner.Plan(_stack, _options, MeshAddresses.For(_stack), _options.UserSecretsId ?? StackUserSecrets.FindId(Assembly.GetEntryAssembly()), images);
        }
        catch
        {
            await DisposeWhenStartedAsync(networkStart).ConfigureAwait(false);
            throw;
        }

        StackNetwork network;
        try
        {
            network = await networkStart.ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The gateway's or a published port is taken: nothing of the stack runs yet.
            throw new StackStartException(_stack.Name, e.Message, e);
        }

        var startFailure = new TaskCompletionSource<ServiceStartException>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new SupervisionContext(_runtime, network, _output, _time, Raise, failure => _startFailure?.TrySetResult(failure), _logger);
        lock (_lock)
        {
            Network = network;
            _plan = plan;
            _startFailure = startFailure;
            _runners = plan.Services.ToDictionary(s => s.Name, s => new ServiceRunner(s, context), StringComparer.Ordinal);
        }

        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var ready = Task.WhenAll(_runners.Values.Select(runner => runner.StartAsync(
                plan.Dependencies.DependenciesOf(runner.Plan.Name).Select(d => (_runners[d.Service], d.Condition)),
                starting.Token)));
            if (await Task.WhenAny(ready, startFailure.Task).ConfigureAwait(false) == startFailure.Task)
            {
                throw new StackStartException(_stack.Name, [await startFailure.Task.ConfigureAwait(false)]);
            }

            await ready.ConfigureAwait(false);
            _startFailure = null;
        }
        catch (Exception e)
        {
            await starting.CancelAsync().ConfigureAwait(false);
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // Dependents waiting for the service that failed see its failure too; the first one reported names it.
            if (e is not StackStartException && startFailure.Task.IsCompleted)
            {
                throw new StackStartException(_stack.Name, [startFailure.Task.Result]);
            }

            if (e is ServiceStartException failure)
            {
                throw new StackStartException(_stack.Name, [failure]);
            }

            throw;
        }
    }

    /// <summary>
    /// Every replica as it is now, in the order the stack declares its services: its state, health, restarts, and its
    /// container's PID and memory. Before the start, each is <see cref="ReplicaState.Waiting"/>.
    /// </summary>
    public IReadOnlyList<ReplicaSnapshot> GetReplicas()
    {
        Dictionary<string, ServiceRunner> runners;
        lock (_lock)
        {
            runners = _runners;
        }

        return _stack.Services
            .Where(s => s.Replicas > 0)
            .SelectMany(s => runners.TryGetValue(s.Name, out var runner)
                ? runner.GetReplicas()
                : Enumerable.Range(1, s.Replicas).Select(i => new ReplicaSnapshot(s.Name, i, ReplicaState.Waiting)))
            .ToList();
    }

    /// <summary>
    /// Runs a further process in replica <paramref name="index"/> of <paramref name="service"/>, in its current
    /// container, as <c>docker compose exec</c> does (see <see cref="Container.ExecAsync"/>: the container's user and
    /// restrictions, whatever <paramref name="spec"/> says). Returns once the program runs; dispose the result to
    /// kill it. It ends at the latest when the replica's container does.
    /// </summary>
    /// <exception cref="ArgumentException">The stack has no such service or replica.</exception>
    /// <exception cref="InvalidOperationException">The replica has no running container now (it is starting, restarting, stopped, …).</exception>
    /// <exception cref="ContainerExecException">The process could not be started (the program is missing, …).</exception>
    public async Task<ExecProcess> ExecAsync(string service, int index, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(spec);
        var definition = _stack.Services.FirstOrDefault(s => s.Name == service)
            ?? throw new ArgumentException($"Stack '{_stack.Name}' has no service '{service}'. Services: {string.Join(", ", _stack.Services.Select(s => s.Name))}.", nameof(service));
        if (index < 1 || index > definition.Replicas)
        {
            throw new ArgumentException(definition.Replicas == 0
                ? $"Service '{service}' runs no replica in environment '{_stack.Environment}'."
                : $"Service '{service}' has replicas 1 to {definition.Replicas}, not {index}.", nameof(index));
        }

        Dictionary<string, ServiceRunner> runners;
        lock (_lock)
        {
            runners = _runners;
        }

        var replica = runners.GetValueOrDefault(service)?.Replica(index);
        var container = replica?.Status.Container;
        if (container is null || container.Exited.IsCompleted)
        {
            var state = replica?.Status.Read().State ?? ReplicaState.Waiting;
            throw new InvalidOperationException($"{ReplicaNames.Of(service, index)} is not running (it is {state.ToString().ToLowerInvariant()}).");
        }

        try
        {
            return await container.ExecAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            throw new InvalidOperationException($"{ReplicaNames.Of(service, index)} stopped while the process started.");
        }
    }

    /// <summary>Stops every service, dependents before their dependencies, and removes the network. Safe to call more than once.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _stop ??= StopEverythingAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task StopEverythingAsync(CancellationToken killNow)
    {
        await Task.Yield();
        var stopping = new Dictionary<string, Task>(StringComparer.Ordinal);
        Task Stop(string service)
        {
            lock (stopping)
            {
                if (!stopping.TryGetValue(service, out var stop))
                {
                    stop = StopAfterDependentsAsync(service);
                    stopping[service] = stop;
                }

                return stop;
            }
        }

        async Task StopAfterDependentsAsync(string service)
        {
            await Task.WhenAll(_plan!.Dependencies.DependentsOf(service).Select(Stop)).ConfigureAwait(false);
            await _runners[service].StopAsync(killNow).ConfigureAwait(false);
        }

        try
        {
            if (_plan is not null)
            {
                await Task.WhenAll(_runners.Keys.Select(Stop)).ConfigureAwait(false);
            }
        }
        finally
        {
            if (Network is { } network)
            {
                Network = null;
                await network.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes a network whose start is under way once it has started; one that failed to start left nothing.</summary>
    private static async Task DisposeWhenStartedAsync(Task<StackNetwork> networkStart)
    {
        await ((Task)networkStart).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (networkStart.IsCompletedSuccessfully)
        {
            await networkStart.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Raise(ReplicaEvent replicaEvent)
    {
        LogEvent(replicaEvent);
        try
        {
            ReplicaChanged?.Invoke(this, replicaEvent);
        }
#pragma warning disable CA1031 // A listener's bug must not stop a replica's supervision.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogListenerFailed(_logger, e);
        }
    }

    private void LogEvent(ReplicaEvent e)
    {
        switch (e.Kind)
        {
            case ReplicaEventKind.Failed:
                LogReplicaFailed(_logger, e.Replica, e.Message);
                break;
            case ReplicaEventKind.Unhealthy:
                LogReplicaUnhealthy(_logger, e.Replica, e.Message);
                break;
            case ReplicaEventKind.Exited when e.Exit is { } exit && !exit.Succeeded():
                LogReplicaExitedBadly(_logger, e.Replica, exit.Describe(), e.RestartDelay is { } delay ? $"restarting in {Durations.Format(delay)}" : "not restarted");
                break;
            default:
                LogReplicaEvent(_logger, e.Replica, e.Kind);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} containers that a host which is gone left behind: {Ids}")]
    private static partial void LogLeftovers(ILogger logger, int count, string ids);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Replica} failed: {Reason}")]
    private static partial void LogReplicaFailed(ILogger logger, string replica, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Replica} is unhealthy: {Reason}")]
    private static partial void LogReplicaUnhealthy(ILogger logger, string replica, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Replica} ended with {Exit}; {Restart}")]
    private static partial void LogReplicaExitedBadly(ILogger logger, string replica, string exit, string restart);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Replica}: {Kind}")]
    private static partial void LogReplicaEvent(ILogger logger, string replica, ReplicaEventKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "A listener of replica events failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);
}
