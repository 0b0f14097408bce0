namespace Berth.Host;

/// <summary>What happens when a service's process exits.</summary>
public enum RestartPolicy
{
    No,
    OnFailure,
    Always,
}
