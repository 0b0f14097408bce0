namespace Berth.Runtime.Containers;

/// <summary>
/// A process could not be started in a running container (<see cref="Container.ExecAsync"/>); the message says which
/// step failed and why: "container" (it has exited), "init", "cgroup", "mount namespace", "chdir", "privileges",
/// "exec" (the program is missing or cannot be executed), …. Nothing of the attempt is left running.
/// </summary>
public sealed class ContainerExecException(string containerId, string stage, string reason)
    : ContainerStepException($"Exec in container '{containerId}' failed: {stage}: {reason}", containerId, stage, reason);
