namespace Shop.Payments;

/// <summary>What a caller asks to be charged: an amount for one of its orders.</summary>
public sealed record PaymentRequest(string OrderId, long AmountCents);
