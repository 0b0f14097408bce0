namespace Shop.Orders;

/// <summary>
/// Places an order: prices each line with the catalog (a caller's prices are never trusted), keeps the order,
/// charges it, and keeps how the charge went. The order is kept before it is charged, so a charge never exists
/// without its order.
/// </summary>
public sealed partial class Checkout(OrderRepository orders, CatalogClient catalog, PaymentsClient payments, ILogger<Checkout> logger)
{
    /// <returns>The order, or the problem with the request (an empty basket, an unknown product).</returns>
    public async Task<(Order? Order, string? Problem)> PlaceAsync(PlaceOrder request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Visitor) || request.Lines is not { Count: > 0 })
        {
            return (null, "An order needs a visitor and at least one line.");
        }

        var lines = new List<OrderLine>();
        foreach (var line in request.Lines)
        {
            if (line.Quantity is < 1 or > 1000)
            {
                return (null, $"The quantity of {line.ProductId} must be between 1 and 1000.");
            }

            if (await catalog.FindAsync(line.ProductId, cancellationToken) is not { } product)
            {
                return (null, $"The catalog has no product '{line.ProductId}'.");
            }

            lines.Add(new OrderLine(product.Id, product.Name, product.PriceCents, line.Quantity));
        }

        var order = orders.Add(request.Visitor, lines);
        var (status, paymentId) = await ChargeAsync(order, cancellationToken);
        orders.SetPayment(order.Id, status, paymentId);
        LogPlaced(logger, order.Id, order.TotalCents, status);
        return (order with { Status = status, PaymentId = paymentId }, null);
    }

    private async Task<(OrderStatus Status, string? PaymentId)> ChargeAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            var payment = await payments.ChargeAsync(order.Id, order.TotalCents, cancellationToken);
            return (payment.Captured ? OrderStatus.Paid : OrderStatus.PaymentDeclined, payment.Id);
        }
        catch (HttpRequestException e)
        {
            LogPaymentFailed(logger, order.Id, e);
            return (OrderStatus.PaymentFailed, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Order} placed: {Total} cents, {Status}")]
    private static partial void LogPlaced(ILogger logger, long order, long total, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Order} could not be charged")]
    private static partial void LogPaymentFailed(ILogger logger, long order, Exception exception);
}
