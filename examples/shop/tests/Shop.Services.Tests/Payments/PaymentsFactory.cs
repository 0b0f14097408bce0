using Shop.Payments;

namespace Shop.Services.Tests.Payments;

/// <summary>The payments service with the key the tests hold.</summary>
public sealed class PaymentsFactory() : ServiceFactory<PaymentLedger>(new Dictionary<string, string?> { [PaymentsApiKey.SecretName] = ApiKey })
{
    public const string ApiKey = "test-payments-key";
}
