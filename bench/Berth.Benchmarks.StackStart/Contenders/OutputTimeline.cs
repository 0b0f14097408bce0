namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>
/// When a contender's output first said each thing (a replica started, became healthy, the stack is up), measured
/// from the round's start: where the start time went. Written from the output pumps' threads, read after the round.
/// </summary>
internal sealed class OutputTimeline
{
    private readonly Dictionary<(string Event, string Subject), TimeSpan> _first = [];
    private readonly Lock _lock = new();

    /// <summary>Notes <paramref name="event"/> for <paramref name="subject"/> (a replica, a service; empty for the stack) unless it was noted already.</summary>
    public void Note(string @event, string subject, TimeSpan at)
    {
        lock (_lock)
        {
            _first.TryAdd((@event, subject), at);
        }
    }

    /// <summary>Every time <paramref name="event"/> was noted, one per subject.</summary>
    public IReadOnlyList<TimeSpan> All(string @event)
    {
        lock (_lock)
        {
            return [.. _first.Where(e => e.Key.Event == @event).Select(e => e.Value)];
        }
    }

    public TimeSpan? For(string @event, string subject)
    {
        lock (_lock)
        {
            return _first.TryGetValue((@event, subject), out var at) ? at : null;
        }
    }

    /// <summary>The last time any subject noted <paramref name="event"/> when all <paramref name="expected"/> did, else null.</summary>
    public TimeSpan? Last(string @event, int expected)
    {
        var all = All(@event);
        return all.Count >= expected && all.Count > 0 ? all.Max() : null;
    }

    public TimeSpan? First(string @event)
    {
        var all = All(@event);
        return all.Count > 0 ? all.Min() : null;
    }
}
