var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

var greeting = app.Configuration["Greeter:Greeting"] ?? "Hello";
app.MapGet("/", () => $"{greeting} from {Environment.MachineName}\n");
app.MapGet("/health", () => Results.Ok("healthy"));

app.Run();
