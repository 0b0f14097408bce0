using System.Net;
using System.Net.Http.Json;
using Shop.Catalog;

namespace Shop.Services.Tests.Catalog;

public sealed class CatalogTests : IClassFixture<ServiceFactory<ProductCatalog>>
{
    private readonly HttpClient _client;

    public CatalogTests(ServiceFactory<ProductCatalog> factory) => _client = factory.CreateClient();

    [Fact]
    public async Task ListsTheSeededProducts()
    {
        var products = await _client.GetFromJsonAsync<Product[]>("/api/catalog/products");

        Assert.Equal(ProductCatalog.Seeded().Products, products);
        Assert.All(products!, product => Assert.True(product.PriceCents > 0, $"{product.Id} has no price"));
    }

    [Fact]
    public async Task FindsAProductByItsId()
    {
        var grinder = await _client.GetFromJsonAsync<Product>("/api/catalog/products/grinder");

        Assert.Equal(new Product("grinder", "Hand grinder", "Conical steel burrs, thirty grind settings.", 7900), grinder);
    }

    [Fact]
    public async Task AnUnknownProductIsNotFound()
    {
        using var response = await _client.GetAsync("/api/catalog/products/teapot");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SaysWhichReplicaAnswered()
    {
        using var response = await _client.GetAsync("/api/catalog/products");

        Assert.Equal(Environment.MachineName, Assert.Single(response.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task HealthAnswers()
    {
        Assert.Equal("healthy", await _client.GetStringAsync("/health"));
    }
}
