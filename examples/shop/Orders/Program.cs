using Shop.Orders;

// The migrate job's arguments are its own, not configuration.
var builder = WebApplication.CreateBuilder(OrdersMigration.IsRequested(args) ? [] : args);
builder.Configuration.AddKeyPerFile("/run/secrets", optional: true);
builder.Services.AddSingleton(services => OrdersDatabase.From(services.GetRequiredService<IConfiguration>()));

if (OrdersMigration.IsRequested(args))
{
    using var job = builder.Build();
    return OrdersMigration.Run(args, job.Services.GetRequiredService<OrdersDatabase>(), job.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Orders.Migration"));
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(services => PaymentsClient.ApiKey.From(services.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<OrderRepository>();
builder.Services.AddScoped<Checkout>();

// Service discovery as in .NET Aspire: "http://catalog" becomes the address the stack gives in services__catalog__http__0.
builder.Services.AddServiceDiscovery();
builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = CatalogClient.BaseAddress).AddServiceDiscovery();
builder.Services.AddHttpClient<PaymentsClient>(http => http.BaseAddress = PaymentsClient.BaseAddress).AddServiceDiscovery();

var app = builder.Build();

// The service runs only on a migrated database, and only with the key to charge orders.
var database = app.Services.GetRequiredService<OrdersDatabase>();
using (var connection = database.Open())
{
    OrdersSchema.RequireCurrent(connection, database.Path);
}

app.Services.GetRequiredService<PaymentsClient.ApiKey>();

var orders = app.MapGroup("/api/orders");
orders.MapPost("/", async (PlaceOrder request, Checkout checkout, CancellationToken cancellationToken) =>
    await checkout.PlaceAsync(request, cancellationToken) switch
    {
        ({ } order, _) => Results.Created($"/api/orders/{order.Id}", order),
        (_, var problem) => Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest),
    });
orders.MapGet("/{id:long}", (long id, OrderRepository repository) => repository.Find(id) is { } order ? Results.Ok(order) : Results.NotFound());
orders.MapGet("/", (string visitor, OrderRepository repository) => repository.ForVisitor(visitor));
app.MapGet("/health", (OrdersDatabase db) =>
{
    using var connection = db.Open();
    OrdersSchema.RequireCurrent(connection, db.Path);
    return "healthy";
});

app.Run();
return 0;
