namespace Shop.Orders;

/// <summary>An order as kept: the lines priced when it was placed, its total, and how its payment went.</summary>
public sealed record Order(long Id, string Visitor, OrderStatus Status, long TotalCents, string? PaymentId, DateTimeOffset CreatedAt, IReadOnlyList<OrderLine> Lines);

/// <summary>A product of an order, with its name and price as they were when the order was placed.</summary>
public sealed record OrderLine(string ProductId, string Name, long UnitPriceCents, int Quantity);
