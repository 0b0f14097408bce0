using System.Net;
using System.Net.Sockets;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary><c>health = { http = "/path" }</c>: a GET of the path on the service's port; any 2xx is healthy.</summary>
internal sealed class HttpHealthProbe : HealthProbe
{
    private readonly HttpClient _client;
    private readonly string _path;

    public HttpHealthProbe(Container container, IPEndPoint endPoint, string path)
    {
        _path = path;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, token) => new NetworkStream(await container.Network.ConnectAsync(endPoint, token).ConfigureAwait(false), ownsSocket: true),
        })
        {
            BaseAddress = new Uri($"http://localhost:{endPoint.Port}/"),

            // Each check has its own timeout (the token); this one only must not cut it short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(_path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HealthCheckFailedException($"GET {_path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    public override void Dispose() => _client.Dispose();
}
