using System.Net;
using System.Net.Http.Json;
using Shop.Basket;

namespace Shop.Services.Tests.Basket;

public sealed class BasketApiTests : IClassFixture<ServiceFactory<BasketStore>>
{
    private readonly HttpClient _client;
    private readonly string _visitor = Guid.NewGuid().ToString("N");

    public BasketApiTests(ServiceFactory<BasketStore> factory) => _client = factory.CreateClient();

    [Fact]
    public async Task KeepsWhatTheVisitorAddedUntilCleared()
    {
        (await _client.PostAsJsonAsync($"/api/basket/{_visitor}/items", new BasketLine("kettle", 1))).EnsureSuccessStatusCode();
        (await _client.PostAsJsonAsync($"/api/basket/{_visitor}/items", new BasketLine("kettle", 1))).EnsureSuccessStatusCode();

        Assert.Equal([new BasketLine("kettle", 2)], (await _client.GetFromJsonAsync<BasketLine[]>($"/api/basket/{_visitor}"))!);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/basket/{_visitor}")).StatusCode);
        Assert.Empty((await _client.GetFromJsonAsync<BasketLine[]>($"/api/basket/{_visitor}"))!);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("kettle", 0)]
    [InlineData("kettle", 1001)]
    public async Task RefusesALineWithoutAProductOrWithABadQuantity(string productId, int quantity)
    {
        using var response = await _client.PostAsJsonAsync($"/api/basket/{_visitor}/items", new BasketLine(productId, quantity));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await _client.GetFromJsonAsync<BasketLine[]>($"/api/basket/{_visitor}"))!);
    }
}
