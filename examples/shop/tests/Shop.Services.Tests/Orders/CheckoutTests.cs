using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Shop.Catalog;
using Shop.Orders;
using Shop.Payments;
using Shop.Services.Tests.Payments;

namespace Shop.Services.Tests.Orders;

/// <summary>Checkout with the real catalog and payments services, in process, and the database in a file of the test's.</summary>
public sealed class CheckoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shop-orders-").FullName;
    private readonly ServiceFactory<ProductCatalog> _catalog = new();
    private readonly PaymentsFactory _payments = new();
    private readonly string _visitor = Guid.NewGuid().ToString("N");

    public CheckoutTests() => OrdersFactory.Migrate(DatabasePath);

    private string DatabasePath => Path.Combine(_directory, "orders.db");

    public void Dispose()
    {
        _catalog.Dispose();
        _payments.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task PricesTheLinesWithTheCatalog_ChargesTheTotal_AndKeepsTheOrder()
    {
        using var orders = Orders();
        var client = orders.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/orders", new PlaceOrder(_visitor, [new("grinder", 1), new("beans", 2)]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(7900 + (2 * 1600), order.TotalCents);
        Assert.Equal([new OrderLine("grinder", "Hand grinder", 7900, 1), new OrderLine("beans", "House blend beans", 1600, 2)], order.Lines);
        Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.OriginalString);

        var kept = await client.GetFromJsonAsync<Order>($"/api/orders/{order.Id}");
        Assert.Equal((order.Id, order.Status, order.TotalCents, order.PaymentId), (kept!.Id, kept.Status, kept.TotalCents, kept.PaymentId));
        Assert.Equal(order.Lines, kept.Lines);
        Assert.Equal([order.Id], (await client.GetFromJsonAsync<Order[]>($"/api/orders?visitor={_visitor}"))!.Select(o => o.Id));

        var payment = await PaymentOfAsync(order);
        Assert.Equal((order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), order.TotalCents, PaymentStatus.Captured), (payment.OrderId, payment.AmountCents, payment.Status));
    }

    [Fact]
    public async Task AnOrderOutlivesTheServiceThatTookIt()
    {
        long id;
        using (var first = Orders())
        {
            using var placed = await first.CreateClient().PostAsJsonAsync("/api/orders", new PlaceOrder(_visitor, [new("kettle", 1)]));
            id = (await placed.Content.ReadFromJsonAsync<Order>())!.Id;
        }

        using var second = Orders();
        var kept = await second.CreateClient().GetFromJsonAsync<Order>($"/api/orders/{id}");

        Assert.Equal((OrderStatus.Paid, 4500L), (kept!.Status, kept.TotalCents));
    }

    [Fact]
    public async Task AChargeThePaymentsServiceDeclines_LeavesTheOrderDeclined()
    {
        using var orders = Orders();

        using var response = await orders.CreateClient().PostAsJsonAsync("/api/orders", new PlaceOrder(_visitor, [new("grinder", 1000)]));

        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(OrderStatus.PaymentDeclined, order.Status);
        Assert.Equal(PaymentStatus.Declined, (await PaymentOfAsync(order)).Status);
    }

    [Fact]
    public async Task WhenPaymentsCannotBeReached_TheOrderIsKeptAsNotCharged()
    {
        using var orders = new OrdersFactory(DatabasePath, _catalog.Server.CreateHandler, payments: null);
        var client = orders.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/orders", new PlaceOrder(_visitor, [new("scale", 1)]));

        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal((OrderStatus.PaymentFailed, (string?)null), (order.Status, order.PaymentId));
        Assert.Equal(OrderStatus.PaymentFailed, (await client.GetFromJsonAsync<Order>($"/api/orders/{order.Id}"))!.Status);
    }

    [Theory]
    [InlineData("teapot", 1, "The catalog has no product 'teapot'.")]
    [InlineData("beans", 0, "The quantity of beans must be between 1 and 1000.")]
    [InlineData(null, 0, "An order needs a visitor and at least one line.")]
    public async Task RefusesAnOrderItCannotPrice(string? productId, int quantity, string problem)
    {
        using var orders = Orders();
        var client = orders.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/orders", new PlaceOrder(_visitor, productId is null ? [] : [new(productId, quantity)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await client.GetFromJsonAsync<Order[]>($"/api/orders?visitor={_visitor}"))!);
    }

    [Fact]
    public void DoesNotStartWithoutThePaymentsKey()
    {
        using var orders = new OrdersFactory(DatabasePath, _catalog.Server.CreateHandler, _payments.Server.CreateHandler, apiKey: null);

        var error = Assert.Throws<InvalidOperationException>(() => orders.CreateClient());
        Assert.StartsWith("The orders service needs the payments API key: the secret 'payments_api_key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DoesNotStartOnADatabaseThatWasNotMigrated()
    {
        using var orders = new OrdersFactory(Path.Combine(_directory, "new.db"), _catalog.Server.CreateHandler, _payments.Server.CreateHandler);

        var error = Assert.Throws<InvalidOperationException>(() => orders.CreateClient());
        Assert.Contains("run the migrate job first", error.Message, StringComparison.Ordinal);
    }

    private OrdersFactory Orders() => new(DatabasePath, _catalog.Server.CreateHandler, _payments.Server.CreateHandler);

    private async Task<Payment> PaymentOfAsync(Order order)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/payments/{order.PaymentId}");
        request.Headers.Add(ApiKeyFilter.HeaderName, PaymentsFactory.ApiKey);
        using var response = await _payments.CreateClient().SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Payment>())!;
    }
}
