using Berth.Host.Control;
using Berth.Host.Orchestration;
using Microsoft.Extensions.Options;

namespace Berth.Host.Tests.Control;

/// <summary>What the stack keeps of its replicas' output for <c>logs</c>, and how followers get the rest.</summary>
public sealed class ReplicaLogsTests
{
    [Fact]
    public void EachReplicaKeepsItsLastLinesWithinItsBounds()
    {
        var logs = New(new StackControlOptions { LogLinesPerReplica = 3, LogCharactersPerReplica = 1000, LogLineCharacters = 20 });
        for (var i = 1; i <= 5; i++)
        {
            logs.Write("api-1", ReplicaOutputStream.StandardOutput, $"api line {i}");
        }

        logs.Write("web-1", ReplicaOutputStream.StandardError, new string('x', 50));

        using var all = logs.Read(service: null, tail: null, follow: false);
        Assert.Equal(["api line 3", "api line 4", "api line 5", new string('x', 20) + " [cut]"], all.Kept.Select(l => l.Text));
        Assert.Equal(["stdout", "stdout", "stdout", "stderr"], all.Kept.Select(l => l.Stream));
        Assert.Equal(["api", "api", "api", "web"], all.Kept.Select(l => l.Service));
        Assert.Null(all.Following);

        using var web = logs.Read("web", tail: null, follow: false);
        Assert.Equal(["web-1"], web.Kept.Select(l => l.Replica));
    }

    [Fact]
    public void TheCharacterBoundDropsTheOldestLinesButNeverTheLast()
    {
        var logs = New(new StackControlOptions { LogLinesPerReplica = 100, LogCharactersPerReplica = 10, LogLineCharacters = 100 });
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "12345");
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "67890");
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "abcde");
        logs.Write("api-2", ReplicaOutputStream.StandardOutput, "a line longer than the bound");

        using var reading = logs.Read(service: null, tail: null, follow: false);
        Assert.Equal(["67890", "abcde", "a line longer than the bound"], reading.Kept.Select(l => l.Text));
    }

    [Fact]
    public void TailTakesTheLastLinesOfEachReplicaInTheOrderTheyCame()
    {
        var logs = New(new StackControlOptions());
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "a1");
        logs.Write("api-2", ReplicaOutputStream.StandardOutput, "b1");
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "a2");
        logs.Write("api-2", ReplicaOutputStream.StandardOutput, "b2");
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "a3");

        using var reading = logs.Read("api", tail: 2, follow: false);
        Assert.Equal(["b1", "a2", "b2", "a3"], reading.Kept.Select(l => l.Text));
        Assert.Equal(reading.Kept.Select(l => l.Sequence).Order(), reading.Kept.Select(l => l.Sequence));
    }

    [Fact]
    public async Task AFollowerGetsEveryLineAfterWhatWasKeptUntilTheStackStops()
    {
        var logs = New(new StackControlOptions());
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "before");
        using var following = logs.Read("api", tail: null, follow: true);
        using var notFollowing = logs.Read("api", tail: null, follow: false);
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "after");
        logs.Write("web-1", ReplicaOutputStream.StandardOutput, "another service");
        logs.Write("api-2", ReplicaOutputStream.StandardError, "after, too");
        logs.Complete();

        Assert.Equal(["before"], following.Kept.Select(l => l.Text));
        var followed = new List<string>();
        await foreach (var line in following.Following!.ReadAllAsync())
        {
            followed.Add(line.Text);
        }

        Assert.Equal(["after", "after, too"], followed);
        Assert.Equal(["before"], notFollowing.Kept.Select(l => l.Text));

        // After the stop, following has nothing to wait for.
        using var late = logs.Read(service: null, tail: null, follow: true);
        Assert.Null(late.Following);
    }

    [Fact]
    public async Task AFollowerThatStopsFollowingGetsNothingMore()
    {
        var logs = New(new StackControlOptions());
        var following = logs.Read(service: null, tail: null, follow: true);
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "one");
        following.Dispose();
        logs.Write("api-1", ReplicaOutputStream.StandardOutput, "two");

        var followed = new List<string>();
        await foreach (var line in following.Following!.ReadAllAsync())
        {
            followed.Add(line.Text);
        }

        Assert.Equal(["one"], followed);
    }

    private static ReplicaLogs New(StackControlOptions options) => new(Options.Create(options));
}
