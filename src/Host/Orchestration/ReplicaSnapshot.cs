using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>One replica as it is now, as <see cref="StackOrchestrator.GetReplicas"/> reports it (and <c>ps</c> shows it).</summary>
/// <param name="Service">The service's name.</param>
/// <param name="Index">The replica's number, from 1.</param>
public sealed record ReplicaSnapshot(string Service, int Index, ReplicaState State)
{
    /// <summary><c>SERVICE-INDEX</c>, e.g. <c>catalog-1</c>.</summary>
    public string Replica => ReplicaNames.Of(Service, Index);

    /// <summary>Its health check's last decision; null for a service without a health check, or no container.</summary>
    public ReplicaHealth? Health { get; init; }

    /// <summary>How many times it was started again after an exit.</summary>
    public int Restarts { get; init; }

    /// <summary>The id of its current container; null while it has none.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The host's PID of its container's first process; null while it has no container.</summary>
    public int? Pid { get; init; }

    /// <summary>When its current container's process started to run; null while it has none.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The memory charged to its container's cgroup now, in bytes; null while it has no container.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>How its last container ended; null before the first end.</summary>
    public ContainerExit? LastExit { get; init; }

    /// <summary>Why it failed or is unhealthy; null otherwise.</summary>
    public string? Message { get; init; }
}
