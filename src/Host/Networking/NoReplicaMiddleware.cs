using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Berth.Host.Networking;

/// <summary>
/// First in the proxy pipeline: a request for a service with no replica to take it (none has joined yet while the
/// stack starts, or none is healthy) is answered 503 here, as YARP's load balancer would answer it, but without the
/// two warnings YARP logs for each such request; a client polling a starting service would fill the console with
/// them. <see cref="MeshTargetMiddleware"/> explains the 503 in its body, as for any other.
/// </summary>
internal static class NoReplicaMiddleware
{
    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.GetReverseProxyFeature().AvailableDestinations.Count > 0)
        {
            return next();
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Features.Set<IForwarderErrorFeature>(new NoAvailableDestinations());
        return Task.CompletedTask;
    }

    private sealed class NoAvailableDestinations : IForwarderErrorFeature
    {
        public ForwarderError Error => ForwarderError.NoAvailableDestinations;

        public Exception? Exception => null;
    }
}
