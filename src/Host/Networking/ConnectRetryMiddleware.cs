using System.Net.Http;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Berth.Host.Networking;

/// <summary>
/// Retries a request on another replica when the chosen one failed it before any of the response reached the
/// caller: always when connecting failed (nothing of the request was sent, not even its body, so any method is
/// safe to send again), and for an idempotent request without a body also when the replica failed after taking
/// it (it died, or closed the connection). So a replica that crashes, stops or restarts costs its callers nothing
/// while another one is up. YARP has no retries of its own; this runs in its proxy pipeline before load
/// balancing, which then picks among the replicas left.
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
                || context.Features.Get<IForwarderErrorFeature>() is not { Error: ForwarderError.Request } error
                || !(IsConnectFailure(error) || CanSendAgain(context.Request, context))
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

    private static bool IsConnectFailure(IForwarderErrorFeature error) =>
        error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    /// <summary>An idempotent method (RFC 9110, 9.2.2) and no body: sending it twice means the same as once.</summary>
    private static bool CanSendAgain(HttpRequest request, HttpContext context) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || HttpMethods.IsTrace(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method))
        && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false };
}
