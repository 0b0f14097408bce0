using System.Text;
using System.Text.Encodings.Web;

namespace Shop.Storefront;

/// <summary>
/// The storefront's HTML: plain forms that post and redirect, so the page works without script, and every value
/// from a service is HTML-encoded.
/// </summary>
public static class Pages
{
    public static string Shop(IReadOnlyList<Product> products, IReadOnlyList<BasketLine> basket, string? catalogReplica)
    {
        var byId = products.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var cards = new StringBuilder();
        foreach (var product in products)
        {
            cards.Append($"""
                <li class="product" data-product="{E(product.Id)}">
                  <div class="swatch" aria-hidden="true">{E(Initials(product.Name))}</div>
                  <h3>{E(product.Name)}</h3>
                  <p>{E(product.Description)}</p>
                  <form method="post" action="/basket">
                    <input type="hidden" name="productId" value="{E(product.Id)}">
                    <span class="price">{Money.Format(product.PriceCents)}</span>
                    <button type="submit">Add to basket</button>
                  </form>
                </li>
                """);
        }

        var lines = new StringBuilder();
        long total = 0;
        foreach (var line in basket)
        {
            var product = byId.GetValueOrDefault(line.ProductId);
            var price = product?.PriceCents ?? 0;
            total += price * line.Quantity;
            lines.Append($"""
                <li class="line" data-product="{E(line.ProductId)}">
                  <span class="quantity">{line.Quantity} ×</span>
                  <span class="name">{E(product?.Name ?? line.ProductId)}</span>
                  <span class="amount">{Money.Format(price * line.Quantity)}</span>
                </li>
                """);
        }

        var basketBody = basket.Count == 0
            ? """<p class="empty">Your basket is empty.</p>"""
            : $"""
                <ul class="lines">{lines}</ul>
                <p class="total">Total <strong id="basket-total">{Money.Format(total)}</strong></p>
                <form method="post" action="/checkout"><button type="submit" id="checkout">Check out</button></form>
                """;

        return Layout("Berth Coffee", $"""
            <main class="shop">
              <section>
                <h2>Products</h2>
                <ul class="products">{cards}</ul>
              </section>
              <aside id="basket">
                <h2>Basket</h2>
                {basketBody}
              </aside>
            </main>
            <footer>Products listed by <span id="catalog-replica">{E(catalogReplica ?? "catalog")}</span>, served by {E(Environment.MachineName)} · run by Berth</footer>
            """);
    }

    public static string Confirmation(Order order)
    {
        var lines = new StringBuilder();
        foreach (var line in order.Lines)
        {
            lines.Append($"""
                <li class="line"><span class="quantity">{line.Quantity} ×</span><span class="name">{E(line.Name)}</span><span class="amount">{Money.Format(line.UnitPriceCents * line.Quantity)}</span></li>
                """);
        }

        var (heading, detail) = order.Paid
            ? ("Thank you for your order!", $"""Payment <code id="payment-id">{E(order.PaymentId ?? string.Empty)}</code> captured.""")
            : ("Your order could not be paid.", $"Status: {E(order.Status)}. Your basket is kept; try again later.");
        return Layout($"Order {order.Id}", $"""
            <main class="confirmation" data-status="{E(order.Status)}">
              <h2 id="confirmation">{heading}</h2>
              <p>Order <strong id="order-id">#{order.Id}</strong> · {detail}</p>
              <ul class="lines">{lines}</ul>
              <p class="total">Total <strong>{Money.Format(order.TotalCents)}</strong></p>
              <p><a href="/">Back to the shop</a></p>
            </main>
            """);
    }

    public static string Problem(string message) => Layout("Something went wrong", $"""
        <main class="confirmation"><h2>Something went wrong</h2><p>{E(message)}</p><p><a href="/">Back to the shop</a></p></main>
        """);

    private static string Layout(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{E(title)}}</title>
          <style>
            :root { --ink: #2b2118; --muted: #7a6a5c; --paper: #fbf7f2; --card: #fff; --accent: #8a4b22; --line: #eadfd3; }
            * { box-sizing: border-box; }
            body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--paper); }
            header { padding: 18px 32px; background: var(--ink); color: var(--paper); display: flex; align-items: baseline; gap: 16px; }
            header h1 { margin: 0; font-size: 22px; letter-spacing: .5px; }
            header a { color: inherit; text-decoration: none; }
            header span { color: #c9b8a6; font-size: 14px; }
            main.shop { display: grid; grid-template-columns: 1fr 320px; gap: 28px; padding: 24px 32px; }
            h2 { margin: 0 0 14px; font-size: 18px; }
            ul { list-style: none; margin: 0; padding: 0; }
            .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 16px; }
            .product { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px; display: flex; flex-direction: column; }
            .product h3 { margin: 10px 0 4px; font-size: 16px; }
            .product p { margin: 0 0 12px; color: var(--muted); font-size: 13px; flex: 1; }
            .swatch { height: 72px; border-radius: 8px; background: linear-gradient(135deg, #c8a27a, #8a4b22); color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 22px; }
            .product form { display: flex; align-items: center; justify-content: space-between; }
            .price { font-weight: 600; }
            button { background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: 8px 12px; font-size: 14px; cursor: pointer; }
            aside { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; align-self: start; }
            .line { display: grid; grid-template-columns: 40px 1fr auto; padding: 6px 0; border-bottom: 1px solid var(--line); font-size: 14px; }
            .total { display: flex; justify-content: space-between; font-size: 16px; }
            #checkout { width: 100%; padding: 10px; }
            .empty { color: var(--muted); }
            main.confirmation { max-width: 560px; margin: 32px auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 24px; }
            footer { padding: 8px 32px 24px; color: var(--muted); font-size: 12px; }
          </style>
        </head>
        <body>
          <header><h1><a href="/">Berth Coffee</a></h1><span>a shop of five .NET services, each in its own container</span></header>
          {{body}}
        </body>
        </html>
        """;

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string Initials(string name) => string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(word => char.ToUpperInvariant(word[0])));
}
