using System.Net.Sockets;
using Berth.Host.Networking;
using Berth.Runtime.Containers;
using Tmds.Linux;

namespace Berth.Host.Orchestration;

/// <summary>
/// Runs one replica for the life of the stack: starts its container, opens its mesh, checks its health, puts it in
/// the network when it is ready and takes it out when it is not, restarts it as its policy says (with
/// <see cref="RestartBackoff"/>), and stops it: out of the network first, then SIGTERM, then SIGKILL after the
/// service's <c>stop_grace_period</c>.
/// </summary>
internal sealed class ReplicaSupervisor
{
    private readonly ServicePlan _plan;
    private readonly int _index;
    private readonly SupervisionContext _context;
    private readonly string _name;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _killNow;
    private Task _run = Task.CompletedTask;

    public ReplicaSupervisor(ServicePlan plan, int index, SupervisionContext context)
    {
        _plan = plan;
        _index = index;
        _context = context;
        _name = ReplicaNames.Of(plan.Name, index);
        Readiness = new ReplicaReadiness(plan.Name);
        Status = new ReplicaSnapshotTracker(plan.Name, index, plan.Definition.Health is not null);
    }

    public ReplicaReadiness Readiness { get; }

    /// <summary>What the replica is doing now, for <see cref="StackOrchestrator.GetReplicas"/>.</summary>
    public ReplicaSnapshotTracker Status { get; }

    private ServiceDefinition Service => _plan.Definition;

    public void Start() => _run = Task.Run(SuperviseAsync);

    /// <summary>Stops the replica and waits until it is removed; <paramref name="killNow"/> cuts the grace period short.</summary>
    public async Task StopAsync(CancellationToken killNow)
    {
        _killNow = killNow;
        _stopRequested.TrySetResult();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
    }

    /// <summary>Runs the replica; whatever goes wrong in its supervision becomes its failure, so nobody waits for it forever.</summary>
    private async Task SuperviseAsync()
    {
        try
        {
            await RunAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure is reported: it fails the start, or shows as the replica's end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail($"its supervision failed: {e}");
        }
    }

    private async Task RunAsync()
    {
        var stopping = _lifetime.Token;
        var backoff = new RestartBackoff();
        while (!stopping.IsCancellationRequested)
        {
            Raise(ReplicaEventKind.Starting);
            var startedAt = _context.Time.GetTimestamp();
            Container container;
            try
            {
                container = await _context.Runtime.StartAsync(_plan.ForReplica(_index), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is ContainerStartException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                // The same spec would fail the same way again: no restart.
                Fail($"its container could not start: {Unwrap(e)}");
                return;
            }

            var ranFrom = _context.Time.GetTimestamp();
            Status.Attach(container);
            Raise(ReplicaEventKind.Started, e => e with { Elapsed = _context.Time.GetElapsedTime(startedAt, ranFrom), ProcessId = container.Pid });
            Readiness.MarkStarted();

            var exit = await RunContainerAsync(container, ranFrom).ConfigureAwait(false);
            if (exit is null || stopping.IsCancellationRequested)
            {
                Raise(ReplicaEventKind.Stopped, e => e with { Exit = exit, Elapsed = _context.Time.GetElapsedTime(ranFrom) });
                Readiness.Fail("it was stopped before it was ready");
                return;
            }

            var ranFor = _context.Time.GetElapsedTime(ranFrom);
            var restart = Service.Restart.Restarts(exit);
            TimeSpan? delay = restart ? backoff.NextDelay(ranFor) : null;
            Raise(ReplicaEventKind.Exited, e => e with { Exit = exit, Elapsed = ranFor, RestartDelay = delay });
            if (exit.Succeeded())
            {
                Readiness.MarkCompleted();
            }

            if (delay is null)
            {
                EndWithoutRestart(exit);
                return;
            }

            try
            {
                await Task.Delay(delay.Value, _context.Time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Raise(ReplicaEventKind.Stopped);
        Readiness.Fail("it was stopped before it was ready");
    }

    /// <summary>
    /// Runs one container to its end and removes it; returns how it ended, or null when its network could not be
    /// set up (a failure already reported).
    /// </summary>
    private async Task<ContainerExit?> RunContainerAsync(Container container, long ranFrom)
    {
        var output = ReplicaOutputPump.Start(container, _name, _context.Output);
        var endpoint = Service.Port is { } port
            ? new ReplicaEndpoint(Service.Name, _index, port, (endPoint, token) => container.Network.ConnectAsync(endPoint, token))
            : null;
        using var health = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        using var probe = Service.Health is { } check ? HealthProbe.For(check, Service.Port, container) : null;
        IAsyncDisposable? mesh = null;
        var monitor = Task.CompletedTask;
        var failed = false;

        // The monitor puts the replica into the network when it passes: it must have stopped before the replica leaves.
        async Task LeaveNetworkAsync()
        {
            await health.CancelAsync().ConfigureAwait(false);

            // A monitor that failed has said so through its events; the replica still leaves.
            await monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (endpoint is not null)
            {
                _context.Network.Replicas.Remove(endpoint);
            }
        }

        try
        {
            if (Service.Network == NetworkMode.Isolated)
            {
                mesh = await _context.Network.OpenMeshAsync(Service, container.Network, _lifetime.Token).ConfigureAwait(false);
            }

            if (probe is not null)
            {
                var monitorOf = new HealthMonitor(Service.Health!, probe, _context.Time);
                monitor = Task.Run(() => monitorOf.RunAsync((healthy, why) => HealthChanged(healthy, why, endpoint, ranFrom), health.Token));
            }
            else if (endpoint is not null)
            {
                _context.Network.Replicas.Add(endpoint);
            }

            if (await Task.WhenAny(container.Exited, _stopRequested.Task).ConfigureAwait(false) != container.Exited)
            {
                await TerminateAsync(container, LeaveNetworkAsync).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped while its network was being set up.
            await TerminateAsync(container, LeaveNetworkAsync).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
        {
            Fail($"its network could not be set up: {e.Message}");
            failed = true;
        }
        finally
        {
            await LeaveNetworkAsync().ConfigureAwait(false);
            container.Signal(LibC.SIGKILL);
            await container.Exited.ConfigureAwait(false);
            await output.ConfigureAwait(false);
            await RemoveAsync(container, mesh).ConfigureAwait(false);
            Status.Detach();
        }

        return failed ? null : await container.Exited.ConfigureAwait(false);
    }

    /// <summary>Out of the network first, so no new request reaches it; then SIGTERM, and SIGKILL once the grace period is over.</summary>
    private async Task TerminateAsync(Container container, Func<Task> leaveNetwork)
    {
        Raise(ReplicaEventKind.Stopping);
        await leaveNetwork().ConfigureAwait(false);
        container.Signal(LibC.SIGTERM);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(_killNow);
        grace.CancelAfter(Service.StopGracePeriod);
        try
        {
            await container.Exited.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            container.Signal(LibC.SIGKILL);
        }
    }

    /// <summary>Closes the replica's mesh and removes its container; what cannot be removed is logged, not thrown, so the rest still stops.</summary>
    private async Task RemoveAsync(Container container, IAsyncDisposable? mesh)
    {
        try
        {
            if (mesh is not null)
            {
                await mesh.DisposeAsync().ConfigureAwait(false);
            }

            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AggregateException or IOException or InvalidOperationException)
        {
            _context.RemovalFailed(_name, e);
        }
    }

    private void HealthChanged(bool healthy, string? why, ReplicaEndpoint? endpoint, long ranFrom)
    {
        if (healthy)
        {
            if (endpoint is not null)
            {
                _context.Network.Replicas.Add(endpoint);
            }

            Raise(ReplicaEventKind.Healthy, e => e with { Elapsed = _context.Time.GetElapsedTime(ranFrom) });
            Readiness.MarkHealthy();
            return;
        }

        if (endpoint is not null)
        {
            _context.Network.Replicas.Remove(endpoint);
        }

        Raise(ReplicaEventKind.Unhealthy, e => e with { Message = why });
        if (!Readiness.Reached(DependencyCondition.Healthy))
        {
            Fail($"it is unhealthy: {why}");
        }
    }

    /// <summary>The replica ended for good: whatever it had not reached, it never will.</summary>
    private void EndWithoutRestart(ContainerExit exit)
    {
        var ready = Readiness.Reached(_plan.ReadyWhen);
        if (!exit.Succeeded() || !ready)
        {
            var when = ready ? string.Empty : _plan.ReadyWhen switch
            {
                DependencyCondition.Healthy => " before it was healthy",
                DependencyCondition.Completed => " instead of completing",
                _ => " before it was ready",
            };
            var failure = new ServiceStartException(Service.Name, $"{_name} ended ({exit.Describe()}){when}, and restart = \"{RestartPolicies.Spell(Service.Restart)}\" does not restart it");
            Readiness.Fail(failure.Reason);
            _context.ReportFailure(failure);
        }
    }

    private void Fail(string reason)
    {
        Raise(ReplicaEventKind.Failed, e => e with { Message = reason });
        var failure = new ServiceStartException(Service.Name, $"{_name}: {reason}");
        Readiness.Fail(failure.Reason);
        _context.ReportFailure(failure);
    }

    private void Raise(ReplicaEventKind kind, Func<ReplicaEvent, ReplicaEvent>? details = null)
    {
        var replicaEvent = new ReplicaEvent(Service.Name, _index, kind, _context.Time.GetUtcNow());
        replicaEvent = details is null ? replicaEvent : details(replicaEvent);
        Status.Apply(replicaEvent);
        _context.Raise(replicaEvent);
    }

    private static string Unwrap(Exception e) => e is ContainerStartException start ? $"{start.Stage}: {start.Reason}" : e.Message;
}
