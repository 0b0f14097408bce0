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

    [GeneratedRegex(@"http://[^\s]+")]
    private static partial Regex GatewayUrl();
}
