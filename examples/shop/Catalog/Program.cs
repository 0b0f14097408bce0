using Shop.Catalog;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(ProductCatalog.Seeded());

var app = builder.Build();

// Which replica answered: the container's host name is the replica's name (catalog-1, catalog-2, ...).
app.Use((context, next) =>
{
    context.Response.Headers["X-Served-By"] = Environment.MachineName;
    return next(context);
});

var products = app.MapGroup("/api/catalog/products");
products.MapGet("/", (ProductCatalog catalog) => catalog.Products);
products.MapGet("/{id}", (string id, ProductCatalog catalog) => catalog.Find(id) is { } product ? Results.Ok(product) : Results.NotFound());
app.MapGet("/health", () => "healthy");

app.Run();
