using System.Diagnostics;
using System.Net;
using Berth.Host;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Berth.Export.Tests.ExportedObjects;

namespace Berth.Export.Tests;

/// <summary>
/// The Compose file's health checks run inside the container, with what the image has. Each one is run here as
/// Compose would run it (<c>CMD bash -c …</c>), against a real Kestrel on the service's port: passing on 2xx, failing
/// on an error status and when nothing listens.
/// </summary>
public sealed class ComposeHealthcheckTests : IAsyncLifetime
{
    private WebApplication? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/health", () => "ok");
        _server.MapGet("/sick", () => Results.StatusCode(503));
        await _server.StartAsync();
        _port = new Uri(_server.Urls.Single()).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnHttpCheckPassesOn2xxAndFailsOnAnErrorStatus()
    {
        Assert.Equal(0, await RunAsync(Check(HealthCheckKind.Http, _port, "/health")));
        Assert.NotEqual(0, await RunAsync(Check(HealthCheckKind.Http, _port, "/sick")));
    }

    [Fact]
    public async Task ATcpCheckPassesWhileThePortListens()
    {
        Assert.Equal(0, await RunAsync(Check(HealthCheckKind.Tcp, _port, null)));
    }

    [Fact]
    public async Task BothFailWhenNothingListens()
    {
        var closed = ClosedPort();
        Assert.NotEqual(0, await RunAsync(Check(HealthCheckKind.Http, closed, "/health")));
        Assert.NotEqual(0, await RunAsync(Check(HealthCheckKind.Tcp, closed, null)));
    }

    /// <summary>The service's <c>healthcheck.test</c> as the exported Compose file has it.</summary>
    private static List<string> Check(HealthCheckKind kind, int port, string? path)
    {
        var service = new ServiceDefinition
        {
            Name = "app",
            Image = "app:1",
            Port = port,
            Health = new HealthCheckDefinition { Kind = kind, HttpPath = path },
        };
        var stack = new StackDefinition { Name = "probe", Environment = "dev", DotnetEnvironment = "Development", SourceDirectory = "/stacks/probe", Services = [service] };
        var compose = Compose(ComposeExporter.Export(stack, "/stacks/probe/compose.yaml", new ExportOptions()));
        return [.. List(At(compose, "services", "app", "healthcheck", "test")).Cast<string>()];
    }

    /// <summary>Runs a <c>CMD</c> check as Compose does, without a shell around it; its exit code.</summary>
    private static async Task<int> RunAsync(List<string> test)
    {
        Assert.Equal("CMD", test[0]);
        var start = new ProcessStartInfo(test[1]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in test.Skip(2))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(patience.Token);
        return process.ExitCode;
    }

    /// <summary>A loopback port nothing listens on: one the kernel just gave out and took back.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
