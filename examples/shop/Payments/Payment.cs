namespace Shop.Payments;

/// <summary>A charge the provider took or refused, in cents.</summary>
public sealed record Payment(string Id, string OrderId, long AmountCents, PaymentStatus Status, DateTimeOffset At);
