using System.Text.RegularExpressions;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// <c>up</c> end to end, as a user runs it: the example stack's build (which built its service too) started in a
/// child process, a request through the gateway, SIGINT, and nothing left.
/// </summary>
public sealed partial class UpCommandTests : IDisposable
{
    private readonly HelloStackProcesses _hello = new();

    public void Dispose() => _hello.Dispose();

    [Fact]
    public async Task UpRunsTheHelloStackUntilSigint()
    {
        var (up, output) = await _hello.UpAsync("--gateway-port", "0");
        using var upProcess = up;
        var summary = output.Lines.Single(line => line.StartsWith("Gateway: ", StringComparison.Ordinal));
        Assert.Contains(output.Lines, line => line.Contains("greeter-1  healthy", StringComparison.Ordinal));
        Assert.Contains(output.Lines, line => line.Trim() == "/  -> greeter (1 replica)");

        using var client = new HttpClient { BaseAddress = new Uri(GatewayUrl().Match(summary).Value), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal("Hello from greeter-1\n", await client.GetStringAsync("/"));

        Assert.Equal(0, Tmds.Linux.LibC.kill(up.Id, Tmds.Linux.LibC.SIGINT));
        await up.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await output.Completion;

        Assert.True(up.ExitCode == 0, $"up exited with {up.ExitCode}:\n{string.Join('\n', output.Lines)}");
        Assert.Contains(output.Lines, line => line.Contains("greeter-1  stopped (exit code 0)", StringComparison.Ordinal));
        _hello.AssertNothingLeft();
    }

    [Fact]
    public async Task AFailedStartExitsWithTheReason()
    {
        var (exitCode, _, error) = await _hello.RunAsync("up", "--gateway-port", "0", "--environment", "nowhere");

        Assert.Equal(2, exitCode);
        Assert.Contains("Stack 'hello' has no environment 'nowhere'. Declared: dev, prod.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStartThatFailsPrintsItsReasonOnce()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        using var up = _hello.Start("up", "--gateway-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var output = new ProcessLines(up);
        await up.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await output.Completion;

        // The reason alone: not the host's own "Hosting failed to start" with a stack trace as well.
        Assert.Equal(1, up.ExitCode);
        var reason = Assert.Single(output.Lines, line => line.StartsWith("Stack 'hello' did not start", StringComparison.Ordinal));
        Assert.Contains($"The gateway cannot listen on 127.0.0.1:{port}", reason, StringComparison.Ordinal);
        Assert.Equal(["Starting stack 'hello' (dev): 1 service, 1 replica", reason], output.Lines);
    }

    [GeneratedRegex(@"http://[^\s]+")]
    private static partial Regex GatewayUrl();
}
