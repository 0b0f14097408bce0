namespace Berth.Host.Orchestration;

/// <summary>Which of a container's output streams a line came from.</summary>
public enum ReplicaOutputStream
{
    StandardOutput,
    StandardError,
}
