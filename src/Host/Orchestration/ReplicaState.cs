namespace Berth.Host.Orchestration;

/// <summary>Where a replica is in its life, as <c>ps</c> shows it.</summary>
public enum ReplicaState
{
    /// <summary>Its service waits for its dependencies; no container yet.</summary>
    Waiting,

    /// <summary>Its container is being created.</summary>
    Starting,

    /// <summary>Its container's process runs.</summary>
    Running,

    /// <summary>It exited and its restart policy starts it again after a delay.</summary>
    Restarting,

    /// <summary>It exited and is not restarted (a completed job, or a failure its policy leaves down).</summary>
    Exited,

    /// <summary>The host is stopping it.</summary>
    Stopping,

    /// <summary>The host stopped it and removed its container.</summary>
    Stopped,

    /// <summary>It cannot run: its container could not start, or its supervision failed.</summary>
    Failed,
}
