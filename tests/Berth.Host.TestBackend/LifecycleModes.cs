using System.Globalization;
using System.Runtime.InteropServices;

/// <summary>
/// What the orchestration tests ask of a backend's life: to run as a job and exit with a code
/// (<c>BACKEND_EXIT_CODE</c>), to ignore SIGTERM so that only SIGKILL ends it (<c>BACKEND_IGNORE_SIGTERM</c>), to
/// exit with a code when asked over HTTP (<c>GET /exit/CODE</c>), as a crash after start would, and to show the
/// secrets it was given (<c>GET /PREFIX/secrets/NAME</c>).
/// </summary>
internal static class LifecycleModes
{
    private static PosixSignalRegistration? s_ignoredSigterm;

    /// <summary>Runs before the web app: a job exits here; a backend that ignores SIGTERM waits here for its SIGKILL.</summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable("BACKEND_EXIT_CODE") is { } code)
        {
            Console.WriteLine($"exiting with code {code}");
            Environment.Exit(int.Parse(code, CultureInfo.InvariantCulture));
        }

        if (Environment.GetEnvironmentVariable("BACKEND_IGNORE_SIGTERM") == "1")
        {
            s_ignoredSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
            Console.WriteLine("ignoring SIGTERM");
            Thread.Sleep(Timeout.Infinite);
        }
    }

    public static void MapLifecycleEndpoints(this WebApplication app)
    {
        // PREFIX/secrets/NAME: the secret as the service reads it (the gateway keeps the route's prefix).
        app.MapGet("/{prefix}/secrets/{name}", (string name) =>
            File.Exists(Path.Combine("/run/secrets", name))
                ? Results.Text(File.ReadAllText(Path.Combine("/run/secrets", name)))
                : Results.NotFound($"no secret {name}"));

        app.MapGet("/exit/{code:int}", (int code) =>
        {
            // After the answer is on its way.
            _ = Task.Run(async () =>
            {
                await Task.Delay(100);
                Environment.Exit(code);
            });
            return Results.Text($"exiting with code {code}");
        });
    }
}
