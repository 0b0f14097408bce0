using System.Text.Json.Serialization;

namespace Shop.Payments;

[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    Captured,
    Declined,
}
