using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Host.Orchestration;

namespace Shop.Tests;

/// <summary>
/// The shop's services in their containers, through the typed harness: each service by its client (directly, in its
/// own network, as a neighbour would reach it), the public APIs through the gateway.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class ShopFlowTests(ShopFixture fixture)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly RunningShopStack _shop = fixture.Shop;
    private readonly string _visitor = Guid.NewGuid().ToString("N");

    [Fact]
    public async Task BrowseAddToTheBasketAndCheckOut_TheOrderIsKept_AndItsPaymentRecorded()
    {
        using var timeout = new CancellationTokenSource(ShopRun.Generous);
        var token = timeout.Token;

        // Browse: the seeded catalog.
        using var catalog = _shop.Catalog.CreateHttpClient();
        var products = await catalog.GetFromJsonAsync<JsonElement[]>("api/catalog/products", token);
        Assert.Equal(6, products!.Length);
        var grinder = products.Single(p => p.GetProperty("id").GetString() == "grinder");
        Assert.Equal(7900, grinder.GetProperty("priceCents").GetInt64());

        // The basket keeps what the visitor adds.
        using var basket = _shop.Basket.CreateHttpClient();
        (await basket.PostAsJsonAsync($"api/basket/{_visitor}/items", new { productId = "grinder", quantity = 1 }, token)).EnsureSuccessStatusCode();
        (await basket.PostAsJsonAsync($"api/basket/{_visitor}/items", new { productId = "beans", quantity = 2 }, token)).EnsureSuccessStatusCode();
        var lines = await basket.GetFromJsonAsync<JsonElement[]>($"api/basket/{_visitor}", token);
        Assert.Equal(["grinder:1", "beans:2"], lines!.Select(l => $"{l.GetProperty("productId").GetString()}:{l.GetProperty("quantity").GetInt32()}"));

        // Checkout: orders prices the lines with catalog and charges payments, both over the mesh.
        using var orders = _shop.Orders.CreateHttpClient();
        using var placed = await orders.PostAsJsonAsync("api/orders", new { visitor = _visitor, lines = lines!.Select(l => new { productId = l.GetProperty("productId").GetString(), quantity = l.GetProperty("quantity").GetInt32() }) }, token);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>(token);
        var orderId = order.GetProperty("id").GetInt64();
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        Assert.Equal(7900 + (2 * 1600), order.GetProperty("totalCents").GetInt64());

        // The order is kept...
        var kept = await orders.GetFromJsonAsync<JsonElement>($"api/orders/{orderId}", token);
        Assert.Equal(("Paid", order.GetProperty("paymentId").GetString()), (kept.GetProperty("status").GetString(), kept.GetProperty("paymentId").GetString()));
        Assert.Equal(2, kept.GetProperty("lines").GetArrayLength());

        // ...in the SQLite file on the run's named volume (the test environment's own)...
        var database = Assert.Single(Directory.GetFiles(fixture.Run.VolumesRoot, "orders.db", SearchOption.AllDirectories));
        Assert.Equal("orders-test-data", Path.GetFileName(Path.GetDirectoryName(database)));
        Assert.True(new FileInfo(database).Length > 0);

        // ...and payments, which only holders of its key may ask, recorded the charge.
        using var payments = _shop.Payments.CreateHttpClient();
        payments.DefaultRequestHeaders.Add("X-Api-Key", ShopPaths.PaymentsApiKey);
        var charges = await payments.GetFromJsonAsync<JsonElement[]>($"payments?orderId={orderId.ToString(CultureInfo.InvariantCulture)}", token);
        var charge = Assert.Single(charges!);
        Assert.Equal(
            (order.GetProperty("paymentId").GetString(), order.GetProperty("totalCents").GetInt64(), "Captured"),
            (charge.GetProperty("id").GetString(), charge.GetProperty("amountCents").GetInt64(), charge.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TheGatewayRoutesThePageAndThePublicApis()
    {
        using var gateway = _shop.Gateway.CreateHttpClient();

        var page = await gateway.GetStringAsync("/");
        Assert.Contains("<h1><a href=\"/\">Berth Coffee</a></h1>", page, StringComparison.Ordinal);
        Assert.Contains("Hand grinder", page, StringComparison.Ordinal);
        Assert.Equal(6, (await gateway.GetFromJsonAsync<JsonElement[]>("/api/catalog/products", s_json))!.Length);
        Assert.Empty((await gateway.GetFromJsonAsync<JsonElement[]>($"/api/basket/{_visitor}", s_json))!);
        Assert.Empty((await gateway.GetFromJsonAsync<JsonElement[]>($"/api/orders?visitor={_visitor}", s_json))!);
    }

    [Fact]
    public void TheMigrateJobCompletedBeforeOrdersStarted()
    {
        var migrate = Assert.Single(_shop.Migrate.Replicas);
        Assert.Equal(ReplicaEventKind.Exited, migrate.State);
        Assert.True(migrate.LastEvent.Exit!.Succeeded(), migrate.ToString());

        var lines = fixture.Run.Lines.ToList();
        var completed = lines.FindIndex(line => line.StartsWith("  migrate-1", StringComparison.Ordinal) && line.Contains("completed", StringComparison.Ordinal));
        var ordersStarting = lines.FindIndex(line => line.StartsWith("  orders-1", StringComparison.Ordinal) && line.Contains("starting", StringComparison.Ordinal));
        Assert.True(completed >= 0 && ordersStarting > completed, fixture.Transcript);
        Assert.Contains(lines, line => line.Contains("migrate-1", StringComparison.Ordinal) && line.Contains("Deleted the orders database /data/orders.db (--reset)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOrderOutlivesARestartOfTheOrdersService()
    {
        using var timeout = new CancellationTokenSource(ShopRun.Generous);
        long orderId;
        using (var orders = _shop.Orders.CreateHttpClient())
        {
            using var placed = await orders.PostAsJsonAsync("api/orders", new { visitor = _visitor, lines = new[] { new { productId = "kettle", quantity = 1 } } }, timeout.Token);
            placed.EnsureSuccessStatusCode();
            orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("id").GetInt64();
        }

        // A crash: the stack restarts the replica (restart = "on-failure"), and it opens the same database.
        var killed = ShopFixture.Kill(_shop.Orders, 1);
        await _shop.Orders.WaitAsync(replicas => replicas is [{ IsReady: true, ProcessId: { } pid }] && pid != killed, timeout.Token);

        using (var orders = _shop.Orders.CreateHttpClient())
        {
            var kept = await orders.GetFromJsonAsync<JsonElement>($"api/orders/{orderId}", timeout.Token);
            Assert.Equal(("Paid", 4500L), (kept.GetProperty("status").GetString(), kept.GetProperty("totalCents").GetInt64()));
        }

        await fixture.WaitWholeAsync();
    }
}
