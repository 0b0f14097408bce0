// A trivial service: its name at / and a health endpoint, as a real service's minimal API would have them. The
// name is the assembly's (svc1 … svc5). Behind Berth's gateway a request keeps its path (/svc1/, /svc1/health), so the
// route's prefix is taken off as the path base when it is there; started on its own the service answers at / too.
var name = typeof(Program).Assembly.GetName().Name!.ToLowerInvariant();

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.UsePathBase($"/{name}");
app.MapGet("/", () => $"{name}\n");
app.MapGet("/health", () => "healthy");

app.Run();
