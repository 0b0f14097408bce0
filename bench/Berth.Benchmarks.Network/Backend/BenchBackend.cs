using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Benchmarks.Network.Backend;

/// <summary>
/// The service every contender reaches: a minimal ASP.NET Core app that answers any request with the same 100-byte
/// body. It runs inside a Berth container (the harness's own assembly, started with <c>--backend</c>); the
/// caller's container runs the same assembly with <c>--idle</c>, since only its network namespace is used.
/// </summary>
internal static class BenchBackend
{
    public const string BackendArgument = "--backend";

    public const string IdleArgument = "--idle";

    public const int BodyLength = 100;

    /// <summary>100 bytes of ASCII text ending in a newline.</summary>
    public static ReadOnlyMemory<byte> Body { get; } = Encoding.ASCII.GetBytes(new string('x', BodyLength - 1) + "\n");

    /// <summary>Serves on the port in <c>ASPNETCORE_HTTP_PORTS</c>, as Berth tells every HTTP service.</summary>
    public static async Task RunAsync()
    {
        // No arguments: the configuration's command-line provider would take the harness's own switch for a key.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();

        // A terminal middleware, no routing: the backend should cost as little as it can, so that what the paths
        // through a proxy add stands out.
        app.Run(async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = BodyLength;
            await context.Response.Body.WriteAsync(Body).ConfigureAwait(false);
        });
        await app.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Keeps the caller's container, and with it its network namespace, alive until it is killed.</summary>
    public static void Idle() => Thread.Sleep(Timeout.Infinite);
}
