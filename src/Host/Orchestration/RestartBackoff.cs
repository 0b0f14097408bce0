namespace Berth.Host.Orchestration;

/// <summary>
/// How long a replica waits before its restart: 1 s after the first exit, doubling after each exit that follows a
/// short run, at most 30 s. A replica that ran for 10 s or more was stable, so its next restart waits 1 s again: a
/// service that crashes once a day restarts at once, one that crashes at start does not spin.
/// </summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan InitialDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaximumDelay = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long resets the delay.</summary>
    public static readonly TimeSpan StableRun = TimeSpan.FromSeconds(10);

    private TimeSpan _next = InitialDelay;

    /// <summary>The delay before the next start of a replica that ran for <paramref name="ranFor"/> before it exited.</summary>
    public TimeSpan NextDelay(TimeSpan ranFor)
    {
        if (ranFor >= StableRun)
        {
            _next = InitialDelay;
        }

        var delay = _next;
        _next = _next * 2 > MaximumDelay ? MaximumDelay : _next * 2;
        return delay;
    }
}
