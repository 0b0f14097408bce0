using Shop.Storefront;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddServiceDiscovery();
builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = Backends.Catalog).AddServiceDiscovery();
builder.Services.AddHttpClient<BasketClient>(http => http.BaseAddress = Backends.Basket).AddServiceDiscovery();
builder.Services.AddHttpClient<OrdersClient>(http => http.BaseAddress = Backends.Orders).AddServiceDiscovery();

var app = builder.Build();

// A service that cannot be reached is a page that says so, not a stack trace.
app.UseExceptionHandler(error => error.Run(async context =>
{
    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
    context.Response.ContentType = "text/html; charset=utf-8";
    await context.Response.WriteAsync(Pages.Problem("The shop cannot reach one of its services right now. Please try again in a moment."));
}));

app.MapGet("/", async (HttpContext context, CatalogClient catalog, BasketClient basket, CancellationToken cancellationToken) =>
{
    var visitor = Visitor.Of(context);
    var (products, servedBy) = await catalog.ListAsync(cancellationToken);
    var lines = await basket.GetAsync(visitor, cancellationToken);
    return Html(Pages.Shop(products, lines, servedBy));
});

app.MapPost("/basket", async (HttpContext context, BasketClient basket, ILogger<BasketClient> logger, CancellationToken cancellationToken) =>
{
    if (Visitor.Find(context) is not { } visitor)
    {
        return Results.Redirect("/");
    }

    var form = await context.Request.ReadFormAsync(cancellationToken);
    if (form["productId"].ToString() is not { Length: > 0 } productId)
    {
        return Results.BadRequest();
    }

    await basket.AddAsync(visitor, productId, quantity: 1, cancellationToken);
    logger.LogDebug("Visitor {Visitor} added {Product} to their basket", visitor, productId);
    return Results.Redirect("/#basket");
});

app.MapPost("/checkout", async (HttpContext context, BasketClient basket, OrdersClient orders, ILogger<OrdersClient> logger, CancellationToken cancellationToken) =>
{
    if (Visitor.Find(context) is not { } visitor)
    {
        return Results.Redirect("/");
    }

    var lines = await basket.GetAsync(visitor, cancellationToken);
    if (lines.Count == 0)
    {
        return Results.Redirect("/");
    }

    var order = await orders.PlaceAsync(visitor, lines, cancellationToken);
    logger.LogDebug("Visitor {Visitor} checked out {Lines} lines: order {Order}, {Status}", visitor, lines.Count, order.Id, order.Status);
    if (order.Paid)
    {
        await basket.ClearAsync(visitor, cancellationToken);
    }

    return Results.Redirect($"/orders/{order.Id}");
});

// An order is shown only to the visitor who placed it.
app.MapGet("/orders/{id:long}", async (long id, HttpContext context, OrdersClient orders, CancellationToken cancellationToken) =>
    Visitor.Find(context) is { } visitor && await orders.FindAsync(id, cancellationToken) is { } order && order.Visitor == visitor
        ? Html(Pages.Confirmation(order))
        : Results.NotFound());

app.MapGet("/health", () => "healthy");

app.Run();

static IResult Html(string page) => Results.Content(page, "text/html; charset=utf-8");
