using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// A replica's state as its events and its current container say, kept for <see cref="StackOrchestrator.GetReplicas"/>:
/// the supervisor feeds it every event it raises and the container it runs.
/// </summary>
internal sealed class ReplicaSnapshotTracker(string service, int index, bool hasHealthCheck)
{
    private readonly Lock _lock = new();
    private ReplicaSnapshot _status = new(service, index, ReplicaState.Waiting);
    private Container? _container;
    private bool _startedBefore;

    /// <summary>The replica's container while it has one (from just before its start is reported until it is removed).</summary>
    public Container? Container
    {
        get
        {
            lock (_lock)
            {
                return _container;
            }
        }
    }

    /// <summary>The container that runs from now on (before its <see cref="ReplicaEventKind.Started"/>).</summary>
    public void Attach(Container container)
    {
        lock (_lock)
        {
            _container = container;
            _status = _status with { ContainerId = container.Id, Pid = container.Pid };
        }
    }

    /// <summary>The container is removed.</summary>
    public void Detach()
    {
        lock (_lock)
        {
            _container = null;
            _status = _status with { ContainerId = null, Pid = null, StartedAt = null, Health = null };
        }
    }

    public void Apply(ReplicaEvent e)
    {
        lock (_lock)
        {
            _status = e.Kind switch
            {
                ReplicaEventKind.Starting => _status with
                {
                    State = ReplicaState.Starting,
                    Restarts = _startedBefore ? _status.Restarts + 1 : _status.Restarts,
                    Message = null,
                },
                ReplicaEventKind.Started => _status with
                {
                    State = ReplicaState.Running,
                    StartedAt = e.Time,
                    Health = hasHealthCheck ? ReplicaHealth.Starting : null,
                },
                ReplicaEventKind.Healthy => _status with { Health = ReplicaHealth.Healthy, Message = null },
                ReplicaEventKind.Unhealthy => _status with { Health = ReplicaHealth.Unhealthy, Message = e.Message },
                ReplicaEventKind.Exited => _status with
                {
                    State = e.RestartDelay is null ? ReplicaState.Exited : ReplicaState.Restarting,
                    LastExit = e.Exit,
                },
                ReplicaEventKind.Stopping => _status with { State = ReplicaState.Stopping },
                ReplicaEventKind.Stopped => _status with { State = ReplicaState.Stopped, LastExit = e.Exit ?? _status.LastExit },
                ReplicaEventKind.Failed => _status with { State = ReplicaState.Failed, Message = e.Message },
                _ => _status,
            };
            _startedBefore |= e.Kind == ReplicaEventKind.Starting;
        }
    }

    /// <summary>The replica now, with its container's memory read from its cgroup.</summary>
    public ReplicaSnapshot Read()
    {
        ReplicaSnapshot status;
        Container? container;
        lock (_lock)
        {
            status = _status;
            container = _container;
        }

        if (container is null)
        {
            return status;
        }

        try
        {
            return status with { MemoryBytes = container.ReadStats().MemoryCurrentBytes };
        }
        catch (Exception e) when (e is CgroupException or IOException or UnauthorizedAccessException or FormatException)
        {
            // The container is being removed: its cgroup goes with it.
            return status;
        }
    }
}
