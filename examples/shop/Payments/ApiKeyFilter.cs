using System.Security.Cryptography;
using System.Text;

namespace Shop.Payments;

/// <summary>
/// Lets a request through only with the stack's payments API key in <see cref="HeaderName"/>. The network already
/// lets only the orders service reach payments; the key is the second lock, as a real provider would have.
/// </summary>
public sealed class ApiKeyFilter(byte[] apiKey) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), apiKey)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Problem($"A valid {HeaderName} header is required.", statusCode: StatusCodes.Status401Unauthorized));
    }
}
