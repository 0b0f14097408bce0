using System.Collections.Concurrent;

namespace Shop.Payments;

/// <summary>
/// Every charge asked for, captured or declined. A stand-in for a real provider: it declines amounts over
/// <see cref="LimitCents"/>, so that callers have a refusal to handle.
/// </summary>
public sealed class PaymentLedger(TimeProvider time)
{
    public const long LimitCents = 1_000_000;

    private readonly ConcurrentDictionary<string, Payment> _payments = new(StringComparer.Ordinal);

    public Payment Charge(PaymentRequest request)
    {
        var status = request.AmountCents <= LimitCents ? PaymentStatus.Captured : PaymentStatus.Declined;
        var payment = new Payment($"pay_{Guid.NewGuid():N}", request.OrderId, request.AmountCents, status, time.GetUtcNow());
        _payments[payment.Id] = payment;
        return payment;
    }

    public Payment? Find(string id) => _payments.GetValueOrDefault(id);

    public IReadOnlyList<Payment> ForOrder(string orderId) =>
        [.. _payments.Values.Where(p => p.OrderId == orderId).OrderBy(p => p.At)];
}
