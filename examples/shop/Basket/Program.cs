using Shop.Basket;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<BasketStore>();

var app = builder.Build();

// A visitor is the storefront's random id for a browser (its cookie); the basket trusts it as a name, nothing more.
var baskets = app.MapGroup("/api/basket/{visitor}");
baskets.MapGet("/", (string visitor, BasketStore store) => store.Get(visitor));
baskets.MapPost("/items", (string visitor, BasketLine line, BasketStore store) =>
    line is { ProductId.Length: > 0, Quantity: >= -1000 and <= 1000 and not 0 }
        ? Results.Ok(store.Add(visitor, line.ProductId, line.Quantity))
        : Results.ValidationProblem(new Dictionary<string, string[]>
        {
            ["line"] = ["Give a productId and a quantity between -1000 and 1000 other than 0."],
        }));
baskets.MapDelete("/", (string visitor, BasketStore store) =>
{
    store.Clear(visitor);
    return Results.NoContent();
});
app.MapGet("/health", () => "healthy");

app.Run();
