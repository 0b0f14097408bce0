using Berth.Host.Orchestration;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// Every event an orchestrator raised, in the order it raised them, and a way to wait for one: tests observe order
/// and outcomes through these, never through time.
/// </summary>
internal sealed class ReplicaEventLog
{
    private readonly ObservedList<ReplicaEvent> _events = new();

    public IReadOnlyList<ReplicaEvent> Events => _events.Items;

    public void Record(object? sender, ReplicaEvent replicaEvent) => _events.Add(replicaEvent);

    /// <summary>The <paramref name="occurrence"/>th event, past or future, of <paramref name="replica"/> of kind <paramref name="kind"/>.</summary>
    public Task<ReplicaEvent> WaitForAsync(string replica, ReplicaEventKind kind, int occurrence = 1)
    {
        var seen = 0;
        return _events.WaitForAsync(e => e.Replica == replica && e.Kind == kind && ++seen == occurrence);
    }

    /// <summary>Where the first event of <paramref name="replica"/> of kind <paramref name="kind"/> stands in the order of all events.</summary>
    public int IndexOf(string replica, ReplicaEventKind kind)
    {
        var events = Events;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Replica == replica && events[i].Kind == kind)
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"No {kind} event of {replica}. Events: {string.Join(", ", events.Select(e => $"{e.Replica} {e.Kind}"))}");
    }

    public int Count(string replica, ReplicaEventKind kind) => Events.Count(e => e.Replica == replica && e.Kind == kind);
}
