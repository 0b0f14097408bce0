using System.Net.Sockets;
using Berth.Host.Control;
using Berth.Host.Tests.Orchestration;
using static Berth.Host.Tests.Orchestration.OrchestratedStack;

namespace Berth.Host.Tests.Control;

/// <summary><c>down</c> for a stack whose process was killed: it says the stack is not running and removes what was left.</summary>
public sealed class DownCommandTests
{
    [Fact]
    public async Task DownRemovesWhatAKilledRunLeftBehind()
    {
        await using var stack = new OrchestratedStack("killed", Backend("api"));
        await using var controlled = new ControlledStack(stack);

        // What a run killed with SIGKILL leaves: the stack's record and dead socket, and a container's state
        // naming its host, which is gone (its processes died with it).
        var directory = StackDirectory.For(stack.Options.StateDirectory, "killed");
        Directory.CreateDirectory(directory.Path);
        new StackRecord(2_000_000_000, "test", DateTimeOffset.UnixEpoch).WriteTo(directory.RecordPath);
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(directory.SocketPath));
        }

        var container = Path.Combine(stack.Options.StateDirectory, "containers", "api-1-0badc0de");
        Directory.CreateDirectory(container);
        File.WriteAllText(Path.Combine(container, "owner"), "2000000000 1\n");

        var (exitCode, output, error) = await controlled.RunAsync("down");

        Assert.Equal(1, exitCode);
        Assert.Contains("Stack 'killed' is not running: the process that ran it (PID 2000000000, environment test", error, StringComparison.Ordinal);
        Assert.Contains("Removed its record and what its 1 container left: api-1-0badc0de.", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Path));
        Assert.False(Directory.Exists(container));

        (exitCode, _, error) = await controlled.RunAsync("down");
        Assert.Equal(1, exitCode);
        Assert.Contains("Stack 'killed' is not running (nothing at ", error, StringComparison.Ordinal);
    }
}
