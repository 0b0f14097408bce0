using System.Net;
using System.Net.Http.Json;
using Shop.Payments;

namespace Shop.Services.Tests.Payments;

public sealed class PaymentsTests : IClassFixture<PaymentsFactory>
{
    private readonly HttpClient _client;

    public PaymentsTests(PaymentsFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task CapturesACharge_AndRecordsIt()
    {
        var orderId = Guid.NewGuid().ToString("N");
        using var charge = await SendAsync(HttpMethod.Post, "/payments", PaymentsFactory.ApiKey, new PaymentRequest(orderId, 9500));

        Assert.Equal(HttpStatusCode.Created, charge.StatusCode);
        var payment = (await charge.Content.ReadFromJsonAsync<Payment>())!;
        Assert.Equal((orderId, 9500L, PaymentStatus.Captured), (payment.OrderId, payment.AmountCents, payment.Status));

        using var byId = await SendAsync(HttpMethod.Get, $"/payments/{payment.Id}", PaymentsFactory.ApiKey);
        Assert.Equal(payment, await byId.Content.ReadFromJsonAsync<Payment>());
        using var byOrder = await SendAsync(HttpMethod.Get, $"/payments?orderId={orderId}", PaymentsFactory.ApiKey);
        Assert.Equal([payment], (await byOrder.Content.ReadFromJsonAsync<Payment[]>())!);
    }

    [Fact]
    public async Task DeclinesAnAmountOverItsLimit()
    {
        using var charge = await SendAsync(HttpMethod.Post, "/payments", PaymentsFactory.ApiKey, new PaymentRequest("big", PaymentLedger.LimitCents + 1));

        Assert.Equal(PaymentStatus.Declined, (await charge.Content.ReadFromJsonAsync<Payment>())!.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-payments-kez")]
    [InlineData("test-payments-key-and-more")]
    public async Task RefusesACallerWithoutTheKey(string? key)
    {
        using var charge = await SendAsync(HttpMethod.Post, "/payments", key, new PaymentRequest("free", 100));
        using var list = await SendAsync(HttpMethod.Get, "/payments?orderId=free", key);

        Assert.Equal(HttpStatusCode.Unauthorized, charge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Fact]
    public async Task HealthNeedsNoKey()
    {
        Assert.Equal("healthy", await _client.GetStringAsync("/health"));
    }

    [Fact]
    public void DoesNotStartWithoutItsKey()
    {
        using var withoutKey = new ServiceFactory<PaymentLedger>();

        var error = Assert.Throws<InvalidOperationException>(() => withoutKey.CreateClient());
        Assert.Equal(
            "The payments service needs its API key: the secret 'payments_api_key' (a file /run/secrets/payments_api_key; list it in the service's secrets in stack.toml).",
            error.Message);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(ApiKeyFilter.HeaderName, key);
        }

        return await _client.SendAsync(request);
    }
}
