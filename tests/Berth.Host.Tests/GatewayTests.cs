using System.Net;
using System.Net.WebSockets;
using System.Text;
using Berth.Host.Networking;

namespace Berth.Host.Tests;

/// <summary>Traffic from the host into services: Kestrel and YARP on the host, replicas in their own namespaces.</summary>
[Collection(ShopNetworkCollection.Name)]
public sealed class GatewayTests(ShopNetworkFixture fixture)
{
    private NetworkedStack Stack => fixture.Stack;

    [Fact]
    public async Task PathPrefixesRouteToTheirServicesWithThePathUnchanged()
    {
        var catalog = await Stack.Gateway.GetStringAsync("/api/catalog/items?page=2");
        var orders = await Stack.Gateway.GetStringAsync("/api/orders");
        var shop = await Stack.Gateway.GetStringAsync("/shop/basket");

        Assert.Matches("^replica=catalog-[12] path=/api/catalog/items\\?page=2 ", catalog);
        Assert.StartsWith("replica=orders-1 path=/api/orders ", orders, StringComparison.Ordinal);
        Assert.StartsWith("replica=storefront-1 path=/shop/basket ", shop, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceSeesTheCallersHostAndForwardedHeaders()
    {
        var body = await Stack.Gateway.GetStringAsync("/api/orders/x");

        Assert.Contains($"host={Stack.Network.GatewayAddress.Authority} ", body, StringComparison.Ordinal);
        Assert.Contains("forwarded-for=127.0.0.1 ", body, StringComparison.Ordinal);
        Assert.Contains($"forwarded-host={Stack.Network.GatewayAddress.Authority} ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsAlternateBetweenReplicas()
    {
        var replicas = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var body = await Stack.Gateway.GetStringAsync("/api/catalog/");
            replicas.Add(body.Split(' ')[0]);
        }

        // Round robin: every other request goes to the other replica.
        Assert.Equal(["replica=catalog-1", "replica=catalog-2"], replicas.Distinct().Order(StringComparer.Ordinal));
        Assert.All(replicas.Zip(replicas.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task AnUnknownPathIsA404ThatListsTheRoutes()
    {
        using var response = await Stack.Gateway.GetAsync("/nowhere");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no route of stack 'shop' matches /nowhere", body, StringComparison.Ordinal);
        Assert.Contains("/api/catalog -> catalog", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceWithNoReplicaRunningIsA503ThatSaysSo()
    {
        using var response = await Stack.Gateway.GetAsync("/api/empty/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no replica of service 'empty' is available", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMeshHeaderFromOutsideIsIgnored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders/spoof");
        request.Headers.Add("X-Berth-Mesh-Target", "payments");

        using var response = await Stack.Gateway.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("replica=orders-1 path=/api/orders/spoof ", body, StringComparison.Ordinal);
        Assert.Contains("mesh-target=", body, StringComparison.Ordinal);
        Assert.DoesNotContain("payments", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeBodiesGoThroughWhole()
    {
        var payload = new byte[8 << 20];
        new Random(42).NextBytes(payload);

        using var response = await Stack.Gateway.PostAsync("/api/catalog/echo", new ByteArrayContent(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StreamedResponsesArriveChunkByChunk()
    {
        using var response = await Stack.Gateway.GetAsync("/api/orders/stream/100", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Null(response.Content.Headers.ContentLength);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"chunk {i} from orders-1", await reader.ReadLineAsync());
        }

        Assert.Null(await reader.ReadLineAsync());
    }

    [Fact]
    public async Task WebSocketsGoThroughTheGateway()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(Stack.Network.GatewayAddress) { Scheme = "ws", Path = "/api/orders/ws" }.Uri;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(uri, patience.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, patience.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, patience.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", patience.Token);

        Assert.Equal("orders-1: hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
