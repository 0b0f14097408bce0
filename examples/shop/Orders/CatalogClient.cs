using System.Net;

namespace Shop.Orders;

/// <summary>The catalog as orders sees it: the name and the price of a product, asked when an order is placed.</summary>
public sealed class CatalogClient(HttpClient http)
{
    /// <summary>The service's name in the stack; service discovery (or the container's /etc/hosts) turns it into an address.</summary>
    public static readonly Uri BaseAddress = new("http://catalog");

    /// <returns>The product, or null when the catalog has none with this id.</returns>
    public async Task<CatalogProduct?> FindAsync(string productId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/catalog/products/{Uri.EscapeDataString(productId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CatalogProduct>(cancellationToken);
    }
}

/// <summary>What orders needs of a catalog product.</summary>
public sealed record CatalogProduct(string Id, string Name, long PriceCents);
