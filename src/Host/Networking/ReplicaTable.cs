using System.Collections.Concurrent;

namespace Berth.Host.Networking;

/// <summary>
/// The replicas that are running now, by name. The proxy's connect callback looks destinations up here, and every
/// change is announced so the routing configuration follows replicas as they come and go.
/// </summary>
public sealed class ReplicaTable
{
    private readonly ConcurrentDictionary<string, ReplicaEndpoint> _replicas = new(StringComparer.Ordinal);

    /// <summary>Raised after a replica was added or removed.</summary>
    public event Action? Changed;

    public void Add(ReplicaEndpoint replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        _replicas[replica.Name] = replica;
        Changed?.Invoke();
    }

    /// <summary>Removes the replica if it is the one registered under its name (a restarted replica may already have replaced it).</summary>
    public void Remove(ReplicaEndpoint replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        if (_replicas.TryRemove(new KeyValuePair<string, ReplicaEndpoint>(replica.Name, replica)))
        {
            Changed?.Invoke();
        }
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReplicaEndpoint? replica) =>
        _replicas.TryGetValue(name, out replica);

    /// <summary>A consistent copy, ordered by service and index.</summary>
    public IReadOnlyList<ReplicaEndpoint> Snapshot() =>
        _replicas.Values.OrderBy(r => r.Service, StringComparer.Ordinal).ThenBy(r => r.Index).ToList();
}
