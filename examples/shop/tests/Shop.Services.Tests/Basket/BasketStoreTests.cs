using Shop.Basket;

namespace Shop.Services.Tests.Basket;

public sealed class BasketStoreTests
{
    private readonly BasketStore _store = new();

    [Fact]
    public void AddingAProductAgainAddsToItsLine()
    {
        _store.Add("ann", "beans", 1);
        _store.Add("ann", "grinder", 1);
        _store.Add("ann", "beans", 2);

        Assert.Equal([new BasketLine("beans", 3), new BasketLine("grinder", 1)], _store.Get("ann"));
    }

    [Fact]
    public void ALineThatFallsToZeroIsRemoved()
    {
        _store.Add("ann", "beans", 2);
        _store.Add("ann", "grinder", 1);
        _store.Add("ann", "beans", -2);
        _store.Add("ann", "kettle", -1);

        Assert.Equal([new BasketLine("grinder", 1)], _store.Get("ann"));
    }

    [Fact]
    public void EachVisitorHasABasketOfTheirOwn()
    {
        _store.Add("ann", "beans", 1);
        _store.Add("bob", "scale", 1);
        _store.Clear("bob");

        Assert.Equal([new BasketLine("beans", 1)], _store.Get("ann"));
        Assert.Empty(_store.Get("bob"));
        Assert.Empty(_store.Get("carol"));
    }
}
