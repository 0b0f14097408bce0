using System.Diagnostics;
using System.Net;
using Berth.Benchmarks.StackStart.Contenders;

namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>
/// Tries each service's URL until it answers 200, all five at once, each every poll interval: the moment a client
/// could first use the service. A refused connection, a 502 or 503 from a proxy whose backend is not there yet, or
/// no answer within the attempt's time all count as "not yet".
/// </summary>
internal sealed class ReadinessProbe : IDisposable
{
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = s_attemptTimeout,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>When each URL first answered 200, from <paramref name="origin"/>; throws <see cref="StartFailedException"/> if the stack's processes exit first or time runs out.</summary>
    public async Task<IReadOnlyList<TimeSpan>> WaitAllAsync(RunningStack stack, long origin, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var probes = stack.Services.Select(url => WaitOneAsync(url, origin, interval, deadline.Token)).ToList();
        var all = Task.WhenAll(probes);
        var exited = Task.WhenAny(stack.Roots.Select(r => r.WaitForExitAsync(deadline.Token)));
        try
        {
            await Task.WhenAny(all, exited).ConfigureAwait(false);
            if (!all.IsCompleted && stack.Roots.FirstOrDefault(r => r.HasExited) is { } root)
            {
                await deadline.CancelAsync().ConfigureAwait(false);
                await root.WaitForOutputAsync().ConfigureAwait(false);
                throw new StartFailedException($"process {root.Pid} exited with code {root.ExitCode} before all five answered:\n{root.Tail()}");
            }

            return await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var answered = probes.Count(p => p.IsCompletedSuccessfully);
            throw new StartFailedException($"{answered} of {stack.Services.Count} answered within {timeout.TotalSeconds:0} s:\n{string.Join("\n", stack.Roots.Select(r => r.Tail()))}");
        }
    }

    /// <summary>Each service's <c>/</c> and <c>/health</c> once more, through the same address: 200, and <c>/</c> names the right service.</summary>
    public async Task VerifyAsync(RunningStack stack, CancellationToken cancellationToken)
    {
        for (var i = 0; i < stack.Services.Count; i++)
        {
            var root = stack.Services[i];
            var name = Workloads.Workload.ServiceNames[i];
            using var home = await _client.GetAsync(root, cancellationToken).ConfigureAwait(false);
            var body = (await home.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (home.StatusCode != HttpStatusCode.OK || body != name)
            {
                throw new StartFailedException($"{root} answered {(int)home.StatusCode} '{body}', not 200 '{name}'.");
            }

            var healthUrl = new Uri(root, "health");
            using var health = await _client.GetAsync(healthUrl, cancellationToken).ConfigureAwait(false);
            if (health.StatusCode != HttpStatusCode.OK)
            {
                throw new StartFailedException($"{healthUrl} answered {(int)health.StatusCode}, not 200.");
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<TimeSpan> WaitOneAsync(Uri url, long origin, TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(s_attemptTimeout);
                try
                {
                    using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return Stopwatch.GetElapsedTime(origin);
                    }
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Not listening yet, reset, or no answer in time: try again.
                }
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
