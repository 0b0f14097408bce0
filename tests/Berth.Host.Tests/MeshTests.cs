using System.Net;
using Berth.Host.Networking;

namespace Berth.Host.Tests;

/// <summary>Traffic between services: a container reaches exactly the services it declared, by name.</summary>
[Collection(ShopNetworkCollection.Name)]
public sealed class MeshTests(ShopNetworkFixture fixture)
{
    private NetworkedStack Stack => fixture.Stack;

    [Theory]
    [InlineData("http://catalog:8080/api/catalog/ping")]
    [InlineData("http://catalog/api/catalog/ping")]
    public async Task ADeclaredDependencyAnswersByName(string url)
    {
        // orders serves on 8080 itself, on every address of its network: the host's listener for catalog:8080 is
        // steered to all the same.
        Assert.Equal(8080, Stack.Stack.GetService("orders").Port);
        var (status, body) = await Stack.CallFromAsync("orders-1", url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches("^replica=catalog-[12] path=/api/catalog/ping ", body);

        // The service sees the name its caller used, and not Berth's routing mark.
        Assert.Contains($"host={new Uri(url).Authority} ", body, StringComparison.Ordinal);
        Assert.EndsWith("mesh-target=", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceThatDeclaredNothingCannotEvenResolveTheName()
    {
        var (status, body) = await Stack.CallFromAsync("storefront-1", "http://catalog:8080/");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("NameResolutionError", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUndeclaredServicesAddressRefusesTheConnection()
    {
        // catalog's address, from a container that did not declare it; and payments', which orders did not declare.
        // On 80: both services have 8080 on every address of their networks, so there 8080 would be themselves.
        var catalog = Stack.Network.Addresses["catalog"];
        var payments = Stack.Network.Addresses["payments"];

        var fromStorefront = await Stack.CallFromAsync("storefront-1", $"http://{catalog}/");
        var fromOrders = await Stack.CallFromAsync("orders-1", $"http://{payments}/");

        Assert.Equal(HttpStatusCode.BadGateway, fromStorefront.Status);
        Assert.Contains("Connection refused", fromStorefront.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, fromOrders.Status);
        Assert.Contains("Connection refused", fromOrders.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storefront-1")]
    [InlineData("orders-1")]
    public async Task AServiceCannotReachAnotherThroughItsOwnPort(string replica)
    {
        // Its own loopback address has only its own service, also where catalog:8080 is steered to the host.
        var (status, body) = await Stack.CallFromAsync(replica, "http://127.0.0.1:8080/whoami");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith($"replica={replica} ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoveryVariablesNameTheDependenciesAsAspireDoes()
    {
        using var client = NetworkedStack.DirectClient(Stack.Replica("orders-1"), 8080);
        var environment = (await client.GetStringAsync("/env")).Split('\n');

        Assert.Contains("services__catalog__http__0=http://catalog:8080", environment);
        Assert.Contains("services__cache__tcp__0=tcp://cache:6379", environment);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", environment);
        Assert.Contains("PORT=8080", environment);
        Assert.DoesNotContain(environment, line => line.StartsWith("services__payments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARawTcpDependencyIsForwardedByName()
    {
        using var client = NetworkedStack.DirectClient(Stack.Replica("orders-1"), 8080);

        var body = await client.GetStringAsync("/tcp?host=cache&port=6379&text=PING");

        Assert.Equal("cache-1: PING", body);
    }

    [Fact]
    public async Task APublishedPortForwardsFromHostLoopback()
    {
        var published = Assert.Single(Stack.Network.PublishedPorts);
        Assert.Equal("cache", published.Service);
        Assert.Equal(IPAddress.Loopback, published.EndPoint.Address);

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(published.EndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync("hello over tcp"u8.ToArray());
        client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var reader = new StreamReader(stream);

        Assert.Equal("cache-1: hello over tcp", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task TcpToAnUndeclaredServiceIsRefused()
    {
        using var client = NetworkedStack.DirectClient(Stack.Replica("storefront-1"), 8080);

        using var response = await client.GetAsync($"/tcp?host={Stack.Network.Addresses["cache"]}&port=6379&text=PING");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("ConnectionRefused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
