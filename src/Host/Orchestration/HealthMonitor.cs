using System.Net.Sockets;

namespace Berth.Host.Orchestration;

/// <summary>
/// Runs a replica's health check for as long as it runs and reports each change between healthy and unhealthy.
/// </summary>
/// <remarks>
/// Until its first pass, a replica is checked every <see cref="StartingInterval"/> (<see cref="CommandStartingInterval"/>
/// for a <c>command</c> check; its <c>interval</c>, if shorter), so that dependents and the routes wait for it no
/// longer than needed, as Docker's <c>start_interval</c> does; it counts
/// as unhealthy when <c>start_period</c> and then <c>retries</c> intervals pass without a pass. After the first pass
/// it is checked every <c>interval</c>, and <c>retries</c> failures in a row make it unhealthy (<c>retries = 0</c>
/// counts as 1); one pass makes it healthy again. A check that takes longer than <c>timeout</c> fails.
/// </remarks>
internal sealed class HealthMonitor(HealthCheckDefinition check, HealthProbe probe, TimeProvider time)
{
    /// <summary>
    /// How often a replica that has not passed an http or tcp check yet is checked. Before the service listens, a check
    /// is one refused connect inside its network, which costs next to nothing, so the wait after it starts listening
    /// is short.
    /// </summary>
    public static readonly TimeSpan StartingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a replica that has not passed a command check yet is checked: each one starts a process in its container.</summary>
    public static readonly TimeSpan CommandStartingInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The shortest wait between two checks, whatever the interval says.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks until <paramref name="cancellationToken"/> ends it; <paramref name="changed"/> gets (healthy, why not).</summary>
    public async Task RunAsync(Action<bool, string?> changed, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var failuresAllowed = Math.Max(1, check.Retries);
        var patience = check.StartPeriod + (check.Interval * failuresAllowed);
        bool? healthy = null;
        var passedOnce = false;
        var failures = 0;
        var startingInterval = check.Kind == HealthCheckKind.Command ? CommandStartingInterval : StartingInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            var failure = await CheckOnceAsync(cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (failure is null)
            {
                passedOnce = true;
                failures = 0;
                if (healthy != true)
                {
                    healthy = true;
                    changed(true, null);
                }
            }
            else if (healthy != false)
            {
                var unhealthy = passedOnce
                    ? time.GetElapsedTime(started) >= check.StartPeriod && ++failures >= failuresAllowed
                    : time.GetElapsedTime(started) >= patience;
                if (unhealthy)
                {
                    healthy = false;
                    changed(false, passedOnce ? $"{failures} checks failed in a row, the last: {failure}" : $"no check passed in {Durations.Format(patience)}, the last: {failure}");
                }
            }

            // An interval of "0" would check in a busy loop.
            var wait = TimeSpan.FromTicks(Math.Max(MinimumInterval.Ticks, (passedOnce || check.Interval < startingInterval ? check.Interval : startingInterval).Ticks));
            try
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Null when the check passed, else what went wrong.</summary>
    private async Task<string?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        try
        {
            await probe.CheckAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Durations.Format(check.Timeout)}";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
        catch (Exception e) when (e is HealthCheckFailedException or HttpRequestException or SocketException or IOException or ObjectDisposedException)
        {
            return e.Message;
        }
    }
}
