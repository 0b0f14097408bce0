using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shop.Basket;
using Shop.Catalog;
using Shop.Services.Tests.Orders;
using Shop.Services.Tests.Payments;
using Shop.Storefront;

namespace Shop.Services.Tests.Storefront;

/// <summary>The storefront with every service behind it in process: catalog, basket, and orders with payments.</summary>
public sealed class InProcessShop : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shop-storefront-").FullName;
    private readonly ServiceFactory<ProductCatalog> _catalog = new();
    private readonly ServiceFactory<BasketStore> _basket = new();
    private readonly PaymentsFactory _payments = new();
    private readonly OrdersFactory _orders;

    public InProcessShop()
    {
        var database = Path.Combine(_directory, "orders.db");
        OrdersFactory.Migrate(database);
        _orders = new OrdersFactory(database, _catalog.Server.CreateHandler, _payments.Server.CreateHandler);
        Storefront = StorefrontWith(_catalog.Server.CreateHandler);
    }

    public ServiceFactory<CatalogClient> Storefront { get; }

    /// <summary>A storefront whose catalog client goes to <paramref name="catalog"/>, the rest to this shop's services.</summary>
    public ServiceFactory<CatalogClient> StorefrontWith(Func<HttpMessageHandler> catalog) => new(new Dictionary<string, string?>(), services =>
    {
        services.AddHttpClient<CatalogClient>().ConfigurePrimaryHttpMessageHandler(catalog);
        services.AddHttpClient<BasketClient>().ConfigurePrimaryHttpMessageHandler(_basket.Server.CreateHandler);
        services.AddHttpClient<OrdersClient>().ConfigurePrimaryHttpMessageHandler(_orders.Server.CreateHandler);
    });

    public void Dispose()
    {
        Storefront.Dispose();
        _orders.Dispose();
        _payments.Dispose();
        _basket.Dispose();
        _catalog.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
