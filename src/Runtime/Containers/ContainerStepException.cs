namespace Berth.Runtime.Containers;

/// <summary>
/// A step of starting something in a container failed: the container itself (<see cref="ContainerStartException"/>)
/// or a further process in it (<see cref="ContainerExecException"/>). The message says which step and why.
/// </summary>
public abstract class ContainerStepException : Exception
{
    protected ContainerStepException(string message, string containerId, string stage, string reason)
        : base(message)
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
