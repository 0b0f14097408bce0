using Shop.Payments;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddKeyPerFile("/run/secrets", optional: true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PaymentLedger>();

var app = builder.Build();

// Refuse to start without the key rather than take every caller's charges.
var apiKey = PaymentsApiKey.From(app.Configuration);

var payments = app.MapGroup("/payments").AddEndpointFilter(new ApiKeyFilter(apiKey));
payments.MapPost("/", (PaymentRequest request, PaymentLedger ledger, ILogger<PaymentLedger> logger) =>
{
    if (request is not { OrderId.Length: > 0, AmountCents: > 0 })
    {
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["request"] = ["Give an orderId and an amountCents above 0."] });
    }

    var payment = ledger.Charge(request);
    logger.LogInformation("Payment {Payment} for order {Order}: {Amount} cents, {Status}", payment.Id, payment.OrderId, payment.AmountCents, payment.Status);
    return Results.Created($"/payments/{payment.Id}", payment);
});
payments.MapGet("/{id}", (string id, PaymentLedger ledger) => ledger.Find(id) is { } payment ? Results.Ok(payment) : Results.NotFound());
payments.MapGet("/", (string orderId, PaymentLedger ledger) => ledger.ForOrder(orderId));
app.MapGet("/health", () => "healthy");

app.Run();
