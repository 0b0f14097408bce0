namespace Berth.Host.Orchestration;

/// <summary>The result of a replica's health check, for a service that has one.</summary>
public enum ReplicaHealth
{
    /// <summary>No check has decided yet since the container started.</summary>
    Starting,

    /// <summary>The last decision was a pass: it takes traffic.</summary>
    Healthy,

    /// <summary>It failed <c>retries</c> checks in a row (or never passed): it takes no traffic.</summary>
    Unhealthy,
}
