namespace Berth.Host;

/// <summary>What happens when a service's process exits.</summary>
public enum RestartPolicy
{
    No,
    OnFailure,
    Always,

    /// <summary>
    /// Compose's <c>unless-stopped</c>: restarts like <see cref="Always"/>. It differs from <c>always</c> only when a
    /// Docker daemon restarts, and Berth has no daemon: a stack's services live as long as its <c>up</c>.
    /// </summary>
    UnlessStopped,
}
