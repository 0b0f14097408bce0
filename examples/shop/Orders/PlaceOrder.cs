namespace Shop.Orders;

/// <summary>A checkout: the visitor's basket as product ids and quantities; the service prices it itself.</summary>
public sealed record PlaceOrder(string Visitor, IReadOnlyList<PlaceOrderLine> Lines);

public sealed record PlaceOrderLine(string ProductId, int Quantity);
