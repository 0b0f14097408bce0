namespace Shop.Storefront;

/// <summary>The basket service, for one visitor at a time.</summary>
public sealed class BasketClient(HttpClient http)
{
    public async Task<IReadOnlyList<BasketLine>> GetAsync(string visitor, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<BasketLine[]>(Path(visitor), cancellationToken) ?? [];

    public async Task AddAsync(string visitor, string productId, int quantity, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"{Path(visitor)}/items", new BasketLine(productId, quantity), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearAsync(string visitor, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(Path(visitor), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string Path(string visitor) => $"/api/basket/{Uri.EscapeDataString(visitor)}";
}

public sealed record BasketLine(string ProductId, int Quantity);
