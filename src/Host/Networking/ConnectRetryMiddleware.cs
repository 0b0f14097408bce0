using System.Net.Http;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Berth.Host.Networking;

/// <summary>
/// Retries a request on another replica when connecting to the chosen one failed. Such a request never reached a
/// replica (nothing of it was sent, not even its body), so it is safe to send again whatever its method: a
/// replica that is stopping or restarting costs the caller nothing while another one is up. YARP has no retries
/// of its own; this runs in its proxy pipeline before load balancing, which then picks among those left.
/// </summary>
internal static class ConnectRetryMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        while (true)
        {
            await next().ConfigureAwait(false);

            if (context.Response.HasStarted
                || context.Features.Get<IForwarderErrorFeature>() is not { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } }
                || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            candidates = candidates.Where(d => d != failed).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            // As if the failed attempt had not happened: no error, no status, the remaining replicas to choose from.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            proxy.AvailableDestinations = candidates;
            proxy.ProxiedDestination = null;
        }
    }
}
