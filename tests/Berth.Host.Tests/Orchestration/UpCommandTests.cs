using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Berth.Runtime.Cgroups;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// <c>up</c> end to end, as a user runs it: the example stack's build (which built its service too) started in a
/// child process, a request through the gateway, SIGINT, and nothing left.
/// </summary>
public sealed partial class UpCommandTests : IDisposable
{
    private readonly string _root = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly string _cgroupParent = $"berth/test-{Guid.NewGuid():N}";

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task UpRunsTheHelloStackUntilSigint()
    {
        using var up = Start("up", "--gateway-port", "0");
        var output = new ProcessLines(up);

        await output.WaitForAsync(line => line == "Press Ctrl+C to stop.");
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
        var containers = Path.Combine(_root, "state", "containers");
        Assert.Empty(Directory.Exists(containers) ? Directory.EnumerateFileSystemEntries(containers) : []);
        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), _cgroupParent).ListNames());
    }

    [Fact]
    public async Task AFailedStartExitsWithTheReason()
    {
        using var up = Start("up", "--gateway-port", "0", "--environment", "nowhere");
        var output = new ProcessLines(up);
        await up.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await output.Completion;

        Assert.Equal(2, up.ExitCode);
        Assert.Contains(output.Lines, line => line.Contains("Stack 'hello' has no environment 'nowhere'. Declared: dev, prod.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStartThatFailsPrintsItsReasonOnce()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        using var up = Start("up", "--gateway-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var output = new ProcessLines(up);
        await up.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await output.Completion;

        // The reason alone: not the host's own "Hosting failed to start" with a stack trace as well.
        Assert.Equal(1, up.ExitCode);
        var reason = Assert.Single(output.Lines, line => line.StartsWith("Stack 'hello' did not start", StringComparison.Ordinal));
        Assert.Contains($"The gateway cannot listen on 127.0.0.1:{port}", reason, StringComparison.Ordinal);
        Assert.Equal(["Starting stack 'hello' (dev): 1 service, 1 replica", reason], output.Lines);
    }

    /// <summary>
    /// The built example, run as its project's output; SIGINT at its default disposition whatever this process
    /// inherited (a shell's background job ignores it, and the runtime keeps an ignored SIGINT ignored).
    /// </summary>
    private Process Start(params string[] args)
    {
        var assembly = typeof(UpCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloStackAssembly").Value!;
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var arg in (string[])["--default-signal=INT", "dotnet", assembly, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Berth__StateDirectory"] = Path.Combine(_root, "state");
        start.Environment["Berth__CgroupParent"] = _cgroupParent;
        start.Environment["Berth__VolumesDirectory"] = Path.Combine(_root, "volumes");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return Process.Start(start)!;
    }

    [GeneratedRegex(@"http://[^\s]+")]
    private static partial Regex GatewayUrl();

    /// <summary>A child's output and error lines as they come.</summary>
    private sealed class ProcessLines
    {
        private readonly ObservedList<string> _lines = new();

        public ProcessLines(Process process) =>
            Completion = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError))
                .ContinueWith(_ => _lines.Complete($"up ended:\n{string.Join('\n', Lines)}"), TaskScheduler.Default);

        public Task Completion { get; }

        public IReadOnlyList<string> Lines => _lines.Items;

        public Task<string> WaitForAsync(Func<string, bool> match) => _lines.WaitForAsync(match);

        private async Task ReadAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                _lines.Add(line);
            }
        }
    }
}
