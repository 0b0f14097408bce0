using System.Globalization;

namespace Berth.Host.Orchestration;

/// <summary>How replicas and their containers are named.</summary>
public static class ReplicaNames
{
    /// <summary><c>SERVICE-INDEX</c>, as Compose names containers and as the network knows replicas.</summary>
    public static string Of(string service, int index) => $"{service}-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The service of a replica named by <see cref="Of"/>: <c>catalog</c> for <c>catalog-1</c>.</summary>
    internal static string ServiceOf(string replica) => replica[..replica.LastIndexOf('-')];

    /// <summary>
    /// A container id for one run of a replica: its name (shortened to keep the runtime's socket path short) and a
    /// random suffix, so a restarted replica never meets the state of its previous run.
    /// </summary>
    public static string NewContainerId(string service, int index)
    {
        var name = Of(service, index);
        var prefix = name.Length > 40 ? name[..40] : name;
        return $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
    }

    /// <summary>A host name is at most 63 characters; a longer replica name is cut.</summary>
    public static string HostName(string service, int index)
    {
        var name = Of(service, index);
        return name.Length > 63 ? name[..63] : name;
    }
}
