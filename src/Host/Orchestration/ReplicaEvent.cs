using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>A change in one replica's life, as <see cref="StackOrchestrator.ReplicaChanged"/> reports it.</summary>
/// <param name="Service">The service's name.</param>
/// <param name="Index">The replica's number, from 1.</param>
public sealed record ReplicaEvent(string Service, int Index, ReplicaEventKind Kind, DateTimeOffset Time)
{
    /// <summary><c>SERVICE-INDEX</c>, e.g. <c>catalog-1</c>: the replica's host name and its name in routing.</summary>
    public string Replica => ReplicaNames.Of(Service, Index);

    /// <summary>
    /// For <see cref="ReplicaEventKind.Started"/>: how long the container took to start; for
    /// <see cref="ReplicaEventKind.Healthy"/>, <see cref="ReplicaEventKind.Exited"/> and
    /// <see cref="ReplicaEventKind.Stopped"/>: the time since it started.
    /// </summary>
    public TimeSpan? Elapsed { get; init; }

    /// <summary>For <see cref="ReplicaEventKind.Started"/>: the PID, as the host sees it, of the container's first process (the service).</summary>
    public int? ProcessId { get; init; }

    /// <summary>How the process ended (<see cref="ReplicaEventKind.Exited"/>, <see cref="ReplicaEventKind.Stopped"/>).</summary>
    public ContainerExit? Exit { get; init; }

    /// <summary>For <see cref="ReplicaEventKind.Exited"/>: the wait before it starts again, null when it is not restarted.</summary>
    public TimeSpan? RestartDelay { get; init; }

    /// <summary>Why, for <see cref="ReplicaEventKind.Failed"/> and <see cref="ReplicaEventKind.Unhealthy"/>.</summary>
    public string? Message { get; init; }
}
