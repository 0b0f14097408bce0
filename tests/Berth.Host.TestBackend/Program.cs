using System.Net.WebSockets;
using System.Text;

// Everything a networking test asks of a backend: who answered, with which path and headers; an echo for large
// bodies; a streamed response; a WebSocket echo; and a client, to call other services from inside the container.
LifecycleModes.Apply();
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var replica = Environment.MachineName;
app.UseWebSockets();

// A WebSocket at any path ending in /ws echoes what it gets, after the replica's name.
app.Use(async (context, next) =>
{
    if (!context.Request.Path.Value!.EndsWith("/ws", StringComparison.Ordinal) || !context.WebSockets.IsWebSocketRequest)
    {
        await next();
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[64 * 1024];
    while (true)
    {
        var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            return;
        }

        var reply = Encoding.UTF8.GetBytes($"{replica}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
        await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
    }
});


// As a raw TCP service (a stand-in for a database or a cache): echo what a connection sends, after the replica's name.
if (Environment.GetEnvironmentVariable("BACKEND_TCP_ECHO") == "1")
{
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, int.Parse(Environment.GetEnvironmentVariable("PORT")!, System.Globalization.CultureInfo.InvariantCulture));
    listener.Start();
    _ = Task.Run(async () =>
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    await stream.WriteAsync(Encoding.UTF8.GetBytes($"{replica}: "));
                    await stream.CopyToAsync(stream);
                    client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                }
            });
        }
    });
}

app.MapGet("/health", () => "ok");
app.MapLifecycleEndpoints();

// Paths arrive as the caller sent them (the gateway keeps its prefix): the test endpoints match on how a path ends.
app.MapPost("/{**path}", async (HttpContext context) =>
{
    // Read it all before answering: an HTTP/1.1 client that sends its whole body before reading would otherwise
    // wait on a server that waits on it.
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    context.Response.ContentType = "application/octet-stream";
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
});

app.MapGet("/call", async (string url) =>
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    try
    {
        return Results.Text(await client.GetStringAsync(url));
    }
    catch (HttpRequestException e)
    {
        return Results.Text($"error {e.HttpRequestError}: {e.Message}", statusCode: 502);
    }
});

app.MapGet("/tcp", async (string host, int port, string text) =>
{
    using var client = new System.Net.Sockets.TcpClient();
    try
    {
        await client.ConnectAsync(host, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var reader = new StreamReader(stream);
        return Results.Text(await reader.ReadToEndAsync());
    }
    catch (System.Net.Sockets.SocketException e)
    {
        return Results.Text($"error {e.SocketErrorCode}: {e.Message}", statusCode: 502);
    }
});

// The process ID in the container's PID namespace (1 when the service is PID 1, more under Berth's init), behind a
// gateway prefix of one segment.
app.MapGet("/{prefix}/pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

// The working directory and ASP.NET Core's content root, behind a gateway prefix of one segment.
app.MapGet("/{prefix}/cwd", () => $"{Environment.CurrentDirectory} {app.Environment.ContentRootPath}");

app.MapGet("/env", () => Results.Text(string.Join("\n",
    Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal)
        .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}"))));

app.MapGet("/{**path}", async (HttpContext context) =>
{
    // .../stream/N: N lines, each flushed on its own.
    var match = System.Text.RegularExpressions.Regex.Match(context.Request.Path.Value!, "/stream/([0-9]+)$");
    if (match.Success)
    {
        context.Response.ContentType = "text/plain";
        for (var i = 0; i < int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            await context.Response.WriteAsync($"chunk {i} from {replica}\n");
            await context.Response.Body.FlushAsync();
        }

        return;
    }

    await context.Response.WriteAsync(
        $"replica={replica} path={context.Request.Path}{context.Request.QueryString} host={context.Request.Host} " +
        $"forwarded-for={context.Request.Headers["X-Forwarded-For"]} forwarded-host={context.Request.Headers["X-Forwarded-Host"]} " +
        $"mesh-target={context.Request.Headers["X-Berth-Mesh-Target"]}");
});

app.Run();
