namespace Berth.Runtime.Containers;

/// <summary>A container could not be started; the message says which step failed and why.</summary>
public sealed class ContainerStartException(string containerId, string stage, string reason)
    : ContainerStepException($"Container '{containerId}' failed to start: {stage}: {reason}", containerId, stage, reason);
