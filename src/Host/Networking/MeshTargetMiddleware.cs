using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Host.Networking;

/// <summary>
/// First in the host's HTTP pipeline. Marks a request that came in on a mesh listener with the one service that
/// listener is for (so the proxy's mesh route for that service, and no other, matches it) and strips the mark from
/// anything else, so no caller can name a service it was not given. Afterwards, explains the proxy's bare 502 and
/// 503 answers in their body.
/// </summary>
internal static class MeshTargetMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Request.Headers;
        headers.Remove(ProxyConfigFactory.MeshTargetHeader);
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(MeshConnectionQueue.TargetItem, out var target) == true && target is string service)
        {
            headers[ProxyConfigFactory.MeshTargetHeader] = service;
        }

        await next().ConfigureAwait(false);

        if (!context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            var cluster = context.GetEndpoint()?.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>()?.Config.ClusterId ?? "";
            var name = cluster.StartsWith("service:", StringComparison.Ordinal) ? cluster["service:".Length..] : cluster;
            var message = error.Error switch
            {
                ForwarderError.NoAvailableDestinations => $"Berth: no replica of service '{name}' is available (none is running, or none is healthy).",
                ForwarderError.Request when error.Exception is System.Net.Http.HttpRequestException { HttpRequestError: System.Net.Http.HttpRequestError.ConnectionError }
                    => $"Berth: no replica of service '{name}' accepted a connection.",
                _ => null,
            };
            if (message is not null)
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
            }
        }
    }
}
