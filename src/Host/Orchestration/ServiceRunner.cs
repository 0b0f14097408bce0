namespace Berth.Host.Orchestration;

/// <summary>
/// Runs the replicas of one service: waits until each dependency meets its condition, starts every replica at once,
/// and tells whoever depends on the service when all its replicas meet theirs.
/// </summary>
internal sealed class ServiceRunner
{
    private readonly Lock _lock = new();
    private readonly List<ReplicaSupervisor> _replicas;
    private bool _stopped;

    public ServiceRunner(ServicePlan plan, SupervisionContext context)
    {
        Plan = plan;
        _replicas = [.. Enumerable.Range(1, plan.Definition.Replicas).Select(i => new ReplicaSupervisor(plan, i, context))];
    }

    public ServicePlan Plan { get; }

    /// <summary>
    /// Starts the replicas once <paramref name="dependencies"/> are met, and completes when the service is ready
    /// (<see cref="ServicePlan.ReadyWhen"/>); throws the dependency's or a replica's failure.
    /// </summary>
    public async Task StartAsync(IEnumerable<(ServiceRunner Runner, DependencyCondition Condition)> dependencies, CancellationToken cancellationToken)
    {
        await Task.WhenAll(dependencies.Select(d => d.Runner.WaitAsync(d.Condition))).WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_stopped)
            {
                return;
            }

            foreach (var replica in _replicas)
            {
                replica.Start();
            }
        }

        await WaitAsync(Plan.ReadyWhen).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replica <paramref name="index"/> (from 1), or null when the service has no such replica.</summary>
    public ReplicaSupervisor? Replica(int index) => index >= 1 && index <= _replicas.Count ? _replicas[index - 1] : null;

    /// <summary>Each replica as it is now, in index order.</summary>
    public IEnumerable<ReplicaSnapshot> GetReplicas() => _replicas.Select(r => r.Status.Read());

    /// <summary>Completes when every replica has met <paramref name="condition"/>.</summary>
    public Task WaitAsync(DependencyCondition condition) => Task.WhenAll(_replicas.Select(r => r.Readiness.WaitAsync(condition)));

    /// <summary>Stops every replica at once (none is started after this), each with its grace period.</summary>
    public Task StopAsync(CancellationToken killNow)
    {
        lock (_lock)
        {
            _stopped = true;
        }

        return Task.WhenAll(_replicas.Select(r => r.StopAsync(killNow)));
    }
}
