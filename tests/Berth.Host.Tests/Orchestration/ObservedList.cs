namespace Berth.Host.Tests.Orchestration;

/// <summary>Items as they come from other tasks (events, output lines), and a wait for the first one that matches, past or future.</summary>
internal sealed class ObservedList<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Match(item)).ToList())
            {
                waiter.Found.TrySetResult(item);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first item that <paramref name="match"/> accepts (it sees every item once, in order); fails after <see cref="TestTimeouts.Generous"/>.</summary>
    public Task<T> WaitForAsync(Func<T, bool> match)
    {
        lock (_lock)
        {
            if (_items.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task.WaitAsync(TestTimeouts.Generous);
        }
    }

    /// <summary>Ends every wait still open: no more items will come.</summary>
    public void Complete(string why)
    {
        lock (_lock)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Found.TrySetException(new InvalidOperationException(why));
            }

            _waiters.Clear();
        }
    }
}
