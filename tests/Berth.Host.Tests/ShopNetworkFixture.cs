namespace Berth.Host.Tests;

/// <summary>The shop's network with catalog (two replicas), orders, cache, storefront and payments running; "empty" never starts.</summary>
public sealed class ShopNetworkFixture : IAsyncLifetime
{
    internal NetworkedStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Stack = await NetworkedStack.StartAsync(NetworkedStack.Shop, "catalog", "orders", "cache", "storefront", "payments");

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

/// <summary>The gateway and mesh tests share one running shop.</summary>
[CollectionDefinition(Name)]
public sealed class ShopNetworkCollection : ICollectionFixture<ShopNetworkFixture>
{
    public const string Name = "Shop network";
}
