namespace Berth.Host.Orchestration;

/// <summary>What happened to a replica. Events of one replica come in the order they happened.</summary>
public enum ReplicaEventKind
{
    /// <summary>Its dependencies are met; its container is being created.</summary>
    Starting,

    /// <summary>Its service runs (the container's process was executed).</summary>
    Started,

    /// <summary>Its health check passed (after a start, or again after <see cref="Unhealthy"/>); it takes traffic.</summary>
    Healthy,

    /// <summary>Its health check failed <c>retries</c> times in a row; it takes no traffic until it passes again.</summary>
    Unhealthy,

    /// <summary>Its process ended on its own; <see cref="ReplicaEvent.RestartDelay"/> says whether and when it restarts.</summary>
    Exited,

    /// <summary>The host is stopping it: out of the network, then SIGTERM, then SIGKILL after the grace period.</summary>
    Stopping,

    /// <summary>Stopped and removed.</summary>
    Stopped,

    /// <summary>It cannot run: its container could not start, or it failed before it was ready (see <see cref="ReplicaEvent.Message"/>).</summary>
    Failed,
}
