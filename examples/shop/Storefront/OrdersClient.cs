namespace Shop.Storefront;

/// <summary>The orders service: checkout, and an order to confirm.</summary>
public sealed class OrdersClient(HttpClient http)
{
    public async Task<Order> PlaceAsync(string visitor, IReadOnlyList<BasketLine> lines, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/orders", new { visitor, lines }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Order>(cancellationToken))!;
    }

    public async Task<Order?> FindAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/orders/{id}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Order>(cancellationToken);
    }
}

public sealed record Order(long Id, string Visitor, string Status, long TotalCents, string? PaymentId, IReadOnlyList<OrderLine> Lines)
{
    public bool Paid => Status == "Paid";
}

public sealed record OrderLine(string ProductId, string Name, long UnitPriceCents, int Quantity);
