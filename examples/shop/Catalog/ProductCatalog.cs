namespace Shop.Catalog;

/// <summary>The products the shop sells: seeded at start, read-only afterwards, so every replica serves the same list.</summary>
public sealed class ProductCatalog
{
    private readonly Dictionary<string, Product> _byId;

    public ProductCatalog(IEnumerable<Product> products)
    {
        Products = [.. products];
        _byId = Products.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Product> Products { get; }

    public Product? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>What the shop sells when it starts.</summary>
    public static ProductCatalog Seeded() => new(
    [
        new("espresso-cup", "Espresso cup", "A thick-walled porcelain cup for a double shot.", 900),
        new("pour-over", "Pour-over dripper", "Ceramic dripper with a single outlet for an even brew.", 2400),
        new("grinder", "Hand grinder", "Conical steel burrs, thirty grind settings.", 7900),
        new("kettle", "Gooseneck kettle", "One litre, with a thermometer in the lid.", 4500),
        new("beans", "House blend beans", "500 g of medium roast, chocolate and cherry.", 1600),
        new("scale", "Brew scale", "0.1 g steps and a timer.", 3200),
    ]);
}
