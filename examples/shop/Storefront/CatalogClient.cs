namespace Shop.Storefront;

/// <summary>The catalog's products, and which catalog replica listed them.</summary>
public sealed class CatalogClient(HttpClient http)
{
    public async Task<(IReadOnlyList<Product> Products, string? ServedBy)> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/catalog/products", cancellationToken);
        response.EnsureSuccessStatusCode();
        var products = await response.Content.ReadFromJsonAsync<Product[]>(cancellationToken) ?? [];
        return (products, response.Headers.TryGetValues("X-Served-By", out var servedBy) ? servedBy.FirstOrDefault() : null);
    }
}

public sealed record Product(string Id, string Name, string Description, long PriceCents);
