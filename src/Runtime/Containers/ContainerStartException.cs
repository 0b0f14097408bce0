namespace Berth.Runtime.Containers;

/// <summary>A container could not be started; the message says which step failed and why.</summary>
public sealed class ContainerStartException : Exception
{
    public ContainerStartException(string containerId, string stage, string reason)
        : base($"Container '{containerId}' failed to start: {stage}: {reason}")
    {
        ContainerId = containerId;
        Stage = stage;
        Reason = reason;
    }

    public string ContainerId { get; }

    /// <summary>The step that failed, e.g. "exec" or "hostname".</summary>
    public string Stage { get; }

    public string Reason { get; }
}
