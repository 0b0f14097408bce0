using Berth.Host.Orchestration;
using Berth.Runtime.Tests;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// <c>command</c> health checks with real containers of a busybox image: the command runs inside the replica's
/// container, a pass lets dependents start, a failure or a timeout makes the replica unhealthy with the command's
/// output in the reason. Order is read from the orchestrator's events, never from the clock.
/// </summary>
public sealed class CommandHealthCheckTests
{
    [RequiresToolFact("busybox", "busybox-static")]
    public async Task APassingCommandMakesTheReplicaHealthyAndLetsItsDependentsStart()
    {
        await using var stack = new OrchestratedStack(
            "command-health",
            // Ready only once it has made the file: the first checks fail. /etc/os-release says the check ran in the image.
            Box("db", "sleep 0.3; touch /tmp/ready; sleep 1000 & wait") with
            {
                Health = Check("sh", "-c", "test -e /tmp/ready && grep -q NAME=busybox /etc/os-release") with { StartPeriod = TimeSpan.FromSeconds(60) },
            },
            Box("api", "sleep 1000 & wait") with { DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy)] });
        BusyboxTree.Create(Path.Combine(stack.StackDirectory, "box"));

        await stack.StartAsync();

        Assert.True(stack.Events.IndexOf("db-1", ReplicaEventKind.Healthy) < stack.Events.IndexOf("api-1", ReplicaEventKind.Starting), "api started before db was healthy");
        Assert.Equal(0, stack.Events.Count("db-1", ReplicaEventKind.Unhealthy));

        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task AFailingCommandMakesTheReplicaUnhealthyWithWhatItSaid()
    {
        var (failure, events) = await StartFailsAsync(Check("sh", "-c", "echo database is not ready; echo on stderr >&2; exit 3"));

        Assert.Contains("Service 'db' cannot start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'sh -c echo database is not ready; echo on stderr >&2; exit 3' failed (exit code 3): database is not ready; on stderr", failure.Message, StringComparison.Ordinal);
        var unhealthy = await events.WaitForAsync("db-1", ReplicaEventKind.Unhealthy);
        Assert.Contains("database is not ready", unhealthy.Message, StringComparison.Ordinal);
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task ACommandThatRunsPastItsTimeoutIsKilledAndFails()
    {
        var (failure, _) = await StartFailsAsync(Check("sh", "-c", "echo checking; exec sleep 1000") with { Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.Contains("did not finish within 0.5 s and was killed: checking", failure.Message, StringComparison.Ordinal);
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task AProgramMissingFromTheImageIsTheReason()
    {
        var (failure, _) = await StartFailsAsync(Check("pg_isready", "--quiet"));

        Assert.Contains("'pg_isready --quiet' could not run: exec: 'pg_isready' is not in PATH=", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts a stack of one busybox service "db" with <paramref name="check"/>, which must fail it; nothing may be left.</summary>
    private static async Task<(StackStartException Failure, ReplicaEventLog Events)> StartFailsAsync(HealthCheckDefinition check)
    {
        await using var stack = new OrchestratedStack("command-check", Box("db", "sleep 1000 & wait") with { Health = check });
        BusyboxTree.Create(Path.Combine(stack.StackDirectory, "box"));

        var failure = await Assert.ThrowsAsync<StackStartException>(stack.StartAsync);

        stack.AssertNothingLeft();
        return (failure, stack.Events);
    }

    /// <summary>
    /// A service of the busybox image (made by the test at ./box) that runs <paramref name="script"/>, in a shell that
    /// ends on SIGTERM; as PID 1 it ignores one that comes before its trap is set, so the grace period is short.
    /// </summary>
    private static ServiceDefinition Box(string name, string script) => new()
    {
        Name = name,
        Image = "./box",
        Command = ["sh", "-c", $"trap 'exit 0' TERM; {script}"],
        StopGracePeriod = TimeSpan.FromSeconds(1),
    };

    /// <summary>A command check that gives up quickly: no start period, one failure.</summary>
    private static HealthCheckDefinition Check(params string[] command) => new()
    {
        Kind = HealthCheckKind.Command,
        Command = [.. command],
        Interval = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(30),
        Retries = 1,
        StartPeriod = TimeSpan.Zero,
    };
}
