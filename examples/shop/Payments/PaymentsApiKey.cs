using System.Text;

namespace Shop.Payments;

/// <summary>
/// The API key every caller must present, from the stack secret <see cref="SecretName"/>: Berth mounts it at
/// /run/secrets/payments_api_key, which the key-per-file configuration source reads as the key of that name.
/// </summary>
public static class PaymentsApiKey
{
    public const string SecretName = "payments_api_key";

    /// <exception cref="InvalidOperationException">The secret is missing or empty: the service must not start without it.</exception>
    public static byte[] From(IConfiguration configuration)
    {
        var key = configuration[SecretName]?.Trim();
        return string.IsNullOrEmpty(key)
            ? throw new InvalidOperationException(
                $"The payments service needs its API key: the secret '{SecretName}' (a file /run/secrets/{SecretName}; list it in the service's secrets in stack.toml).")
            : Encoding.UTF8.GetBytes(key);
    }
}
