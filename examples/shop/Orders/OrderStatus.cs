using System.Text.Json.Serialization;

namespace Shop.Orders;

[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    /// <summary>Kept, and being charged.</summary>
    Pending,

    /// <summary>Payments captured the total.</summary>
    Paid,

    /// <summary>Payments refused the charge.</summary>
    PaymentDeclined,

    /// <summary>Payments could not be reached or failed; the order was not charged.</summary>
    PaymentFailed,
}
