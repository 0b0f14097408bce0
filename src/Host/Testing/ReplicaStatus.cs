using Berth.Host.Orchestration;

namespace Berth.Host.Testing;

/// <summary>One replica of a running service as it is now: what last happened to it, and its process.</summary>
/// <param name="LastEvent">Its latest event (with the exit, restart delay or reason it carries).</param>
/// <param name="ProcessId">The PID, as the host sees it, of its container's first process (the service) while that runs; null otherwise.</param>
/// <param name="IsReady">Whether it is ready now: healthy if it has a health check, else started; then it is in the network.</param>
public sealed record ReplicaStatus(ReplicaEvent LastEvent, int? ProcessId, bool IsReady)
{
    /// <summary><c>SERVICE-INDEX</c>, e.g. <c>catalog-1</c>.</summary>
    public string Name => LastEvent.Replica;

    /// <summary>The replica's number, from 1.</summary>
    public int Index => LastEvent.Index;

    /// <summary>What last happened to it: <see cref="ReplicaEventKind.Healthy"/>, <see cref="ReplicaEventKind.Exited"/>, ….</summary>
    public ReplicaEventKind State => LastEvent.Kind;

    /// <summary>Whether it will not run again: it failed, was stopped, or exited and its restart policy does not restart it.</summary>
    public bool IsEnded => State is ReplicaEventKind.Failed or ReplicaEventKind.Stopped
        || (State == ReplicaEventKind.Exited && LastEvent.RestartDelay is null);

    /// <summary>The status after <paramref name="next"/>, an event of this replica's service (<paramref name="hasHealthCheck"/> says whether it has one).</summary>
    internal static ReplicaStatus After(ReplicaStatus? previous, ReplicaEvent next, bool hasHealthCheck) => new(
        next,
        next.Kind switch
        {
            ReplicaEventKind.Started => next.ProcessId,
            ReplicaEventKind.Healthy or ReplicaEventKind.Unhealthy or ReplicaEventKind.Stopping => previous?.ProcessId,
            _ => null,
        },
        next.Kind == ReplicaEventKind.Healthy || (next.Kind == ReplicaEventKind.Started && !hasHealthCheck));

    /// <summary><c>catalog-1 Exited (exit code 3)</c>, <c>catalog-1 Unhealthy: …</c>.</summary>
    public override string ToString()
    {
        var exit = LastEvent.Exit is { } e ? $" ({e.Describe()})" : string.Empty;
        var message = LastEvent.Message is { } m ? $": {m}" : string.Empty;
        return $"{Name} {State}{exit}{message}";
    }
}
