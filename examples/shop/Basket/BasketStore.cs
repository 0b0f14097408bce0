using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Shop.Basket;

/// <summary>The visitors' baskets, in memory: a basket is a short-lived thing; an order is what lasts.</summary>
public sealed class BasketStore
{
    private readonly ConcurrentDictionary<string, ImmutableList<BasketLine>> _baskets = new(StringComparer.Ordinal);

    public IReadOnlyList<BasketLine> Get(string visitor) => _baskets.GetValueOrDefault(visitor, []);

    /// <summary>Adds to the product's line (made if the basket has none); a quantity that falls to zero or below removes it.</summary>
    public IReadOnlyList<BasketLine> Add(string visitor, string productId, int quantity) =>
        _baskets.AddOrUpdate(visitor, _ => Apply([], productId, quantity), (_, lines) => Apply(lines, productId, quantity));

    public void Clear(string visitor) => _baskets.TryRemove(visitor, out _);

    private static ImmutableList<BasketLine> Apply(ImmutableList<BasketLine> lines, string productId, int quantity)
    {
        var index = lines.FindIndex(line => line.ProductId == productId);
        var total = (index < 0 ? 0 : lines[index].Quantity) + quantity;
        return (index, total) switch
        {
            (< 0, > 0) => lines.Add(new BasketLine(productId, total)),
            (< 0, _) => lines,
            (_, > 0) => lines.SetItem(index, new BasketLine(productId, total)),
            _ => lines.RemoveAt(index),
        };
    }
}
