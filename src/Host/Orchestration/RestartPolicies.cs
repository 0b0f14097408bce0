using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>What each restart policy does, and how stack.toml spells it.</summary>
public static class RestartPolicies
{
    /// <summary>Whether <paramref name="policy"/> restarts a replica that ended with <paramref name="exit"/> (not when the host stopped it).</summary>
    public static bool Restarts(this RestartPolicy policy, ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return policy switch
        {
            RestartPolicy.Always or RestartPolicy.UnlessStopped => true,
            RestartPolicy.OnFailure => !exit.Succeeded(),
            _ => false,
        };
    }

    public static string Spell(RestartPolicy policy) => policy switch
    {
        RestartPolicy.OnFailure => "on-failure",
        RestartPolicy.Always => "always",
        RestartPolicy.UnlessStopped => "unless-stopped",
        _ => "no",
    };
}
