namespace Shop.Storefront;

/// <summary>
/// The services the storefront calls, by their names in the stack. Service discovery (as in .NET Aspire) turns
/// "http://catalog" into the address the stack gives in <c>services__catalog__http__0</c>; the storefront declares
/// no route to payments, so it has none.
/// </summary>
public static class Backends
{
    public static readonly Uri Catalog = new("http://catalog");
    public static readonly Uri Basket = new("http://basket");
    public static readonly Uri Orders = new("http://orders");
}
