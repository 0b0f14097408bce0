namespace Shop.Catalog;

/// <summary>A product of the shop; prices are in cents, so that sums are exact.</summary>
public sealed record Product(string Id, string Name, string Description, long PriceCents);
