namespace Shop.Orders;

/// <summary>
/// The payments service, which only this service may reach (the stack gives no one else a route to it), with the
/// API key from the stack secret payments_api_key.
/// </summary>
public sealed class PaymentsClient(HttpClient http, PaymentsClient.ApiKey apiKey)
{
    public static readonly Uri BaseAddress = new("http://payments");

    public const string SecretName = "payments_api_key";

    public async Task<PaymentResult> ChargeAsync(long orderId, long amountCents, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = JsonContent.Create(new { orderId = orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), amountCents }),
        };
        request.Headers.Add("X-Api-Key", apiKey.Value);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PaymentResult>(cancellationToken))!;
    }

    /// <summary>The key, read once at start from configuration (the key-per-file source over /run/secrets).</summary>
    public sealed record ApiKey(string Value)
    {
        /// <exception cref="InvalidOperationException">The secret is missing: orders cannot charge anything without it.</exception>
        public static ApiKey From(IConfiguration configuration) =>
            configuration[SecretName]?.Trim() is { Length: > 0 } key
                ? new ApiKey(key)
                : throw new InvalidOperationException(
                    $"The orders service needs the payments API key: the secret '{SecretName}' (a file /run/secrets/{SecretName}; list it in the service's secrets in stack.toml).");
    }
}

/// <summary>What payments answered: its id for the charge and whether it was captured.</summary>
public sealed record PaymentResult(string Id, string Status)
{
    public bool Captured => Status == "Captured";
}
