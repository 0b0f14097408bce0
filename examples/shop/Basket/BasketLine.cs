namespace Shop.Basket;

/// <summary>One product in a basket and how many of it.</summary>
public sealed record BasketLine(string ProductId, int Quantity);
