namespace Berth.Host.Orchestration;

/// <summary>
/// The milestones of one replica that others wait for: its first start, its first health check passed, its first
/// successful exit. Each is reached once and stays reached across restarts; a replica that can no longer reach one
/// fails it, and whoever waits gets the reason.
/// </summary>
internal sealed class ReplicaReadiness(string service)
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MarkStarted() => _started.TrySetResult();

    public void MarkHealthy() => _healthy.TrySetResult();

    public void MarkCompleted() => _completed.TrySetResult();

    public bool Reached(DependencyCondition condition) => Milestone(condition).Task.IsCompletedSuccessfully;

    /// <summary>Fails every milestone not reached yet: <paramref name="reason"/> says why it never will be.</summary>
    public void Fail(string reason)
    {
        var failure = new ServiceStartException(service, reason);
        foreach (var milestone in new[] { _started, _healthy, _completed })
        {
            milestone.TrySetException(failure);
        }
    }

    public Task WaitAsync(DependencyCondition condition) => Milestone(condition).Task;

    private TaskCompletionSource Milestone(DependencyCondition condition) => condition switch
    {
        DependencyCondition.Healthy => _healthy,
        DependencyCondition.Completed => _completed,
        _ => _started,
    };
}
