using Berth.Host.Orchestration;
using static Berth.Host.Tests.Orchestration.OrchestratedStack;

namespace Berth.Host.Tests.Orchestration;

/// <summary>What stack.toml asks for and cannot be had fails the start before any container runs, naming the service and why.</summary>
public sealed class StackPlanTests
{
    [Fact]
    public async Task AHealthCommandMustNameAProgram()
    {
        var failure = await StartFailsAsync(Backend("db") with { Health = new HealthCheckDefinition { Kind = HealthCheckKind.Command, Command = [] } });

        Assert.Contains("Service 'db' cannot start: its health check's command is empty", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandCheckCannotRunBesideAServiceThatKeepsSysPtrace()
    {
        var command = new HealthCheckDefinition { Kind = HealthCheckKind.Command, Command = ["true"] };
        var failure = await StartFailsAsync(
            Backend("tracer") with { CapAdd = ["SYS_PTRACE"], Health = command },
            Backend("everything") with { CapAdd = ["all"], Health = command });

        Assert.Contains("Service 'tracer' cannot start: its health check is a command, which cannot run beside a service that keeps SYS_PTRACE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Service 'everything' cannot start: its health check is a command", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpOrTcpCheckNeedsThePortButACommandDoesNot()
    {
        var failure = await StartFailsAsync(
            Backend("web") with { Port = null, Health = QuickHealth },
            Backend("cache") with { Port = null, Health = QuickHealth with { Kind = HealthCheckKind.Tcp, HttpPath = null } },
            Backend("db") with { Port = null, Health = new HealthCheckDefinition { Kind = HealthCheckKind.Command, Command = [] } });

        Assert.Contains("Service 'web' cannot start: its http health check needs the port the service listens on; set port", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Service 'cache' cannot start: its tcp health check needs the port", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Service 'db' cannot start: its command health check needs the port", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, failure.Problems.Count);
    }

    [Fact]
    public async Task ARegistryThatCannotBeReachedFailsTheStartNamingServiceImageAndRegistry()
    {
        var registry = $"127.0.0.1:{Berth.Runtime.Tests.Images.DockerRegistry.FreePort()}";   // nothing listens there
        var failure = await StartFailsAsync(new ServiceDefinition { Name = "cache", Image = $"{registry}/library/redis:7" });

        Assert.Contains($"Service 'cache' cannot start: its image '{registry}/library/redis:7' cannot be had", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"The registry {registry} (https://{registry}/) cannot be reached to pull {registry}/library/redis:7", failure.Message, StringComparison.Ordinal);
        Assert.Contains("check the registry name, that it is up, and the network", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProjectTheBuildDidNotListIsNamed()
    {
        var failure = await StartFailsAsync(new ServiceDefinition { Name = "orders", Project = "../Orders/Orders.csproj" });

        Assert.Contains("Service 'orders' cannot start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Orders/Orders.csproj is not listed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryProblemIsListedAtOnce()
    {
        var failure = await StartFailsAsync(
            Backend("missing-bind") with { Volumes = [new VolumeDefinition { Kind = VolumeKind.Bind, Source = "./nowhere", Target = "/data" }] },
            Backend("needs-healthy") with { DependsOn = [new ServiceDependency("missing-bind", DependencyCondition.Healthy)] });

        Assert.Equal(2, failure.Problems.Count);
        Assert.Contains("Service 'missing-bind' cannot start: the source of its volume /data", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Service 'needs-healthy' cannot start: it waits for 'missing-bind' to be healthy, but 'missing-bind' has no health check", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingSecretIsNamedWithWhereItWasLookedFor()
    {
        await using var stack = new OrchestratedStack("secrets", Backend("api") with { Secrets = ["missing"] });

        // The gateway starts while the plan is made: on a fixed port here, to see that it is closed again.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        stack.Options.GatewayEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port);
        var failure = await Assert.ThrowsAsync<Berth.Host.Configuration.StackConfigurationException>(stack.StartAsync);

        Assert.Contains("secret 'missing'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("BERTH_TEST_UNSET_VARIABLE", failure.Message, StringComparison.Ordinal);
        Assert.Empty(stack.Events.Events);
        stack.AssertNothingLeft();
        using var again = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        again.Start(); // throws while the gateway still listens
    }

    private static async Task<StackStartException> StartFailsAsync(params ServiceDefinition[] services)
    {
        await using var stack = new OrchestratedStack("plan", services);
        var failure = await Assert.ThrowsAsync<StackStartException>(stack.StartAsync);
        Assert.Empty(stack.Events.Events);
        stack.AssertNothingLeft();
        return failure;
    }
}
