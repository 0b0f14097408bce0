using System.Globalization;

namespace Shop.Storefront;

public static class Money
{
    public static string Format(long cents) => string.Create(CultureInfo.InvariantCulture, $"€{cents / 100m:0.00}");
}
