using System.Net;
using System.Net.Sockets;
using Berth.Host.Testing;

namespace Shop.Tests;

/// <summary>
/// What the shop's containers see from inside (their /etc/hosts, their network, their files, their privileges),
/// through /proc, as a program in them would: orders reaches payments, the storefront cannot, and no service runs
/// as root or with a capability.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class IsolationTests(ShopFixture fixture)
{
    private readonly RunningShopStack _shop = fixture.Shop;

    [Fact]
    public async Task FromOrders_PaymentsAnswers()
    {
        var orders = Inside(_shop.Orders);
        Assert.Contains("payments", orders.Hosts().Keys);

        using var client = orders.CreateHttpClient();
        Assert.Equal("healthy", await client.GetStringAsync("http://payments:8080/health"));

        using var withKey = await client.SendAsync(PaymentsOfNoOrder("http://payments:8080"));
        Assert.Equal("[]", await withKey.Content.ReadAsStringAsync());

        // Reaching it is not enough to use it: a call without the key is refused by payments itself.
        using var charge = await client.PostAsync("http://payments:8080/payments", JsonBody("""{"orderId":"1","amountCents":100}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, charge.StatusCode);
    }

    [Fact]
    public async Task FromTheStorefront_PaymentsIsUnreachable()
    {
        var storefront = Inside(_shop.Storefront);
        var hosts = storefront.Hosts();

        // It reaches what it declared...
        using var client = storefront.CreateHttpClient();
        Assert.Equal("healthy", await client.GetStringAsync("http://catalog:8080/health"));

        // ...and payments has no name there,
        Assert.DoesNotContain("payments", hosts.Keys);
        Assert.Superset(new HashSet<string> { "catalog", "basket", "orders" }, hosts.Keys.ToHashSet());
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://payments:8080/health"));

        // ...nor an address: where orders reaches it, the storefront finds nothing on 80, and on 8080 only itself (it
        // listens on every address of its own loopback): the request that payments answers with [] is the storefront's 404.
        var paymentsAddress = Inside(_shop.Orders).Hosts()["payments"];
        var refused = await Assert.ThrowsAsync<SocketException>(() => storefront.ConnectAsync(new IPEndPoint(paymentsAddress, 80), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using var itself = await client.SendAsync(PaymentsOfNoOrder($"http://{paymentsAddress}:8080"));
        Assert.Equal(HttpStatusCode.NotFound, itself.StatusCode);
    }

    [Fact]
    public async Task ThroughTheGateway_PaymentsIsUnreachable_EvenWithItsKey()
    {
        // With the key, payments would answer this with []: the request ends at the storefront's "/" instead.
        using var gateway = _shop.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/payments?orderId=1");
        request.Headers.Add("X-Api-Key", ShopPaths.PaymentsApiKey);

        using var response = await gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_shop.Payments.Definition.Routes);
    }

    [Fact]
    public void EveryServiceRunsAsANonRootUserWithoutCapabilities()
    {
        var running = _shop.Services.Where(s => s.Name != ShopStack.ServiceNames.Migrate).SelectMany(s => s.Replicas).ToList();
        Assert.Equal(6, running.Count);
        Assert.All(running, replica =>
        {
            var status = new ContainerProcess(replica.ProcessId!.Value).Status();
            Assert.All(new[] { "Uid", "Gid" }, id => Assert.Equal(["65534", "65534", "65534", "65534"], status[id].Split('\t')));
            Assert.All(new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" }, set => Assert.Equal("0000000000000000", status[set]));
            Assert.Equal("1", status["NoNewPrivs"]);
            Assert.Equal("2", status["Seccomp"]);
        });
    }

    [Fact]
    public void ThePaymentsKeyReachesOnlyOrdersAndPayments()
    {
        foreach (var service in _shop.Services.Where(s => s.Name != ShopStack.ServiceNames.Migrate))
        {
            var secret = Inside(service).PathInside("/run/secrets/payments_api_key");
            var expected = service.Name is "orders" or "payments";
            Assert.True(File.Exists(secret) == expected, $"{service.Name}: /run/secrets/payments_api_key {(expected ? "missing" : "present")}");
        }
    }

    private static ContainerProcess Inside(RunningService service) =>
        new(service.Replicas.First(r => r.IsReady).ProcessId ?? throw new InvalidOperationException($"{service} has no running process."));

    /// <summary>What payments answers with [] to a holder of its key.</summary>
    private static HttpRequestMessage PaymentsOfNoOrder(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{origin}/payments?orderId=no-such-order");
        request.Headers.Add("X-Api-Key", ShopPaths.PaymentsApiKey);
        return request;
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
