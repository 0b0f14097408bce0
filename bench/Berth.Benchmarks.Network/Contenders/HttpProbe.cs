using System.Net;
using System.Net.Sockets;

namespace Berth.Benchmarks.Network.Contenders;

/// <summary>
/// One GET from inside a namespace: that a path answers as the backend does (200, the 100-byte body) before wrk
/// measures it, so a misrouted path is an error and not a fast row of 404s.
/// </summary>
internal static class HttpProbe
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    /// <summary>The status and body length of a GET of <paramref name="url"/>, connected through <paramref name="connect"/>.</summary>
    public static async Task<(HttpStatusCode Status, int Length)> GetAsync(NamespaceConnector connect, Uri url, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            // The URL's host is an address: it is used as it is, in the namespace the connector is for.
            ConnectCallback = async (context, token) =>
                new NetworkStream(await connect(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), token).ConfigureAwait(false), ownsSocket: true),
        });
        using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, body.Length);
    }

    /// <summary>Waits, within a minute, until <paramref name="url"/> answers at all (a service that is still starting refuses).</summary>
    public static async Task WaitUntilAnsweringAsync(NamespaceConnector connect, Uri url, Task exited, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(s_patience);
        while (true)
        {
            if (exited.IsCompleted)
            {
                throw new BenchSetupException($"The service behind {url} exited before it answered.");
            }

            try
            {
                await GetAsync(connect, url, patience.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or SocketException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BenchSetupException($"{url} did not answer within {s_patience.TotalSeconds:0} s.");
            }

            await Task.Delay(20, patience.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Throws unless <paramref name="url"/> answers 200 with the backend's body.</summary>
    public static async Task RequireBackendAnswerAsync(NamespaceConnector connect, Uri url, int bodyLength, CancellationToken cancellationToken)
    {
        var (status, length) = await GetAsync(connect, url, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK || length != bodyLength)
        {
            throw new ContenderException($"GET {url} gave {(int)status} with {length} bytes, not 200 with the backend's {bodyLength}.");
        }
    }
}
