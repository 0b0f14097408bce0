using System.Net;
using Berth.Host.Orchestration;
using Berth.Runtime.Tests;
using static Berth.Host.Tests.Orchestration.OrchestratedStack;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// The orchestrator with real containers running the test backend: start order and conditions, jobs, restarts,
/// shutdown order and the grace period, and failed starts that leave nothing behind. Order is read from the
/// orchestrator's events, never from the clock.
/// </summary>
public sealed class StackOrchestratorTests
{
    [Fact]
    public async Task DependentsStartWhenTheirDependenciesMeetTheirConditionsAndStopFirst()
    {
        await using var stack = new OrchestratedStack(
            "order",
            Backend("db") with { Health = QuickHealth, Volumes = [new VolumeDefinition { Kind = VolumeKind.Named, Source = "data", Target = "/data" }] },
            Backend("cache", ("BACKEND_TCP_ECHO", "1")) with { Protocol = ServiceProtocol.Tcp, Port = 6379, Health = QuickHealth with { Kind = HealthCheckKind.Tcp, HttpPath = null } },
            Backend("api") with
            {
                Routes = ["/api"],
                Health = QuickHealth,
                Secrets = ["token"],
                DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy), new ServiceDependency("cache", DependencyCondition.Healthy)],
            },
            Backend("web") with { Routes = ["/web"], Health = QuickHealth, Replicas = 2, DependsOn = [new ServiceDependency("api")] },
            Backend("other"));
        File.WriteAllText(Path.Combine(stack.StackDirectory, "token.txt"), "s3cret");

        await stack.StartAsync();

        var events = stack.Events;
        Assert.True(events.IndexOf("db-1", ReplicaEventKind.Healthy) < events.IndexOf("api-1", ReplicaEventKind.Starting), "api started before db was healthy");
        Assert.True(events.IndexOf("cache-1", ReplicaEventKind.Healthy) < events.IndexOf("api-1", ReplicaEventKind.Starting), "api started before cache was healthy");
        Assert.True(events.IndexOf("api-1", ReplicaEventKind.Started) < events.IndexOf("web-1", ReplicaEventKind.Starting), "web started before api");
        Assert.True(events.IndexOf("api-1", ReplicaEventKind.Started) < events.IndexOf("web-2", ReplicaEventKind.Starting), "web started before api");
        Assert.True(events.IndexOf("other-1", ReplicaEventKind.Starting) < events.IndexOf("db-1", ReplicaEventKind.Healthy), "an independent service waited for db");

        // Each replica joined the network: the gateway reaches both web replicas and api.
        using var gateway = stack.Gateway();
        Assert.Contains("replica=api-1", await gateway.GetStringAsync("/api/x"), StringComparison.Ordinal);

        // A project service runs in its build output, which ASP.NET Core takes as its content root (appsettings.json).
        Assert.Equal("/app /app", await gateway.GetStringAsync("/api/cwd"));
        var answers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20 && answers.Count < 2; i++)
        {
            answers.Add((await gateway.GetStringAsync("/web"))[..14]);
        }

        Assert.Equal(["replica=web-1 ", "replica=web-2 "], answers.Order(StringComparer.Ordinal));

        // A service gets the secrets it lists, and only those.
        Assert.Equal("s3cret", await gateway.GetStringAsync("/api/secrets/token"));
        using (var unlisted = await gateway.GetAsync("/web/secrets/token"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unlisted.StatusCode);
        }

        // A named volume is a directory of the stack's, made for the service's user (nobody by default).
        var volume = new DirectoryInfo(Path.Combine(stack.Options.VolumesDirectory, "order", "data"));
        Assert.True(volume.Exists);

        await stack.StopAsync();

        Assert.True(events.IndexOf("web-1", ReplicaEventKind.Stopped) < events.IndexOf("api-1", ReplicaEventKind.Stopping), "api stopped before web");
        Assert.True(events.IndexOf("web-2", ReplicaEventKind.Stopped) < events.IndexOf("api-1", ReplicaEventKind.Stopping), "api stopped before web");
        Assert.True(events.IndexOf("api-1", ReplicaEventKind.Stopped) < events.IndexOf("db-1", ReplicaEventKind.Stopping), "db stopped before api");
        Assert.All(events.Events.Where(e => e.Kind == ReplicaEventKind.Stopped), e => Assert.Equal(0, e.Exit?.ExitCode));
        stack.AssertNothingLeft();

        // Named volumes outlive the stack.
        volume.Refresh();
        Assert.True(volume.Exists);
    }

    [Fact]
    public async Task AJobCompletesBeforeItsDependentsStart()
    {
        await using var stack = new OrchestratedStack(
            "jobs",
            Backend("migrate", ("BACKEND_EXIT_CODE", "0")),
            Backend("api") with { DependsOn = [new ServiceDependency("migrate", DependencyCondition.Completed)] });

        await stack.StartAsync();

        var completed = await stack.Events.WaitForAsync("migrate-1", ReplicaEventKind.Exited);
        Assert.Equal(0, completed.Exit!.ExitCode);
        Assert.Null(completed.RestartDelay);
        Assert.True(stack.Events.IndexOf("migrate-1", ReplicaEventKind.Exited) < stack.Events.IndexOf("api-1", ReplicaEventKind.Starting));
        Assert.Contains("migrate-1 | exiting with code 0", stack.Output.Lines);

        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task AFailedJobFailsTheStartAndLeavesNothingRunning()
    {
        await using var stack = new OrchestratedStack(
            "failing-job",
            Backend("bystander") with { Health = QuickHealth },
            Backend("migrate", ("BACKEND_EXIT_CODE", "3")) with { DependsOn = [new ServiceDependency("bystander", DependencyCondition.Healthy)] },
            Backend("api") with { DependsOn = [new ServiceDependency("migrate", DependencyCondition.Completed)] });

        var failure = await Assert.ThrowsAsync<StackStartException>(stack.StartAsync);

        Assert.Contains("Service 'migrate' cannot start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, stack.Events.Count("api-1", ReplicaEventKind.Starting));
        await stack.Events.WaitForAsync("bystander-1", ReplicaEventKind.Stopped);
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task AContainerThatCannotStartFailsTheStartAndLeavesNothingBehind()
    {
        await using var stack = new OrchestratedStack(
            "bad-user",
            Backend("first") with { Health = QuickHealth },
            Backend("second") with { User = "no-such-user", DependsOn = [new ServiceDependency("first", DependencyCondition.Healthy)] });

        var failure = await Assert.ThrowsAsync<StackStartException>(stack.StartAsync);

        Assert.Contains("Service 'second' cannot start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-user", failure.Message, StringComparison.Ordinal);
        Assert.Equal(ReplicaEventKind.Stopped, stack.Events.Events.Last(e => e.Replica == "first-1").Kind);
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task ACrashingServiceRestartsWithAGrowingDelay()
    {
        await using var stack = new OrchestratedStack(
            "crash",
            Backend("crashy", ("BACKEND_EXIT_CODE", "1")) with { Restart = RestartPolicy.OnFailure });

        await stack.StartAsync();

        var first = await stack.Events.WaitForAsync("crashy-1", ReplicaEventKind.Exited);
        var second = await stack.Events.WaitForAsync("crashy-1", ReplicaEventKind.Exited, occurrence: 2);
        await stack.Events.WaitForAsync("crashy-1", ReplicaEventKind.Started, occurrence: 3);
        Assert.Equal(1, first.Exit!.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(1), first.RestartDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), second.RestartDelay);

        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task InitModeRunsTheServiceUnderBerthsInit()
    {
        await using var stack = new OrchestratedStack(
            "init",
            Backend("plain") with { Routes = ["/plain"], Health = QuickHealth },
            Backend("supervised") with { Routes = ["/supervised"], Health = QuickHealth, Init = true });
        await stack.StartAsync();

        using var gateway = stack.Gateway();

        Assert.Equal("1", await gateway.GetStringAsync("/plain/pid"));
        Assert.NotEqual("1", await gateway.GetStringAsync("/supervised/pid"));
        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task WithoutARestartPolicyACrashedServiceStaysDown()
    {
        await using var stack = new OrchestratedStack(
            "no-restart",
            Backend("fragile") with { Routes = ["/exit"], Health = QuickHealth });
        await stack.StartAsync();

        using var gateway = stack.Gateway();
        using var response = await gateway.GetAsync("/exit/7");

        var exited = await stack.Events.WaitForAsync("fragile-1", ReplicaEventKind.Exited);
        Assert.Equal(7, exited.Exit!.ExitCode);
        Assert.Null(exited.RestartDelay);

        await stack.StopAsync();
        Assert.Equal(1, stack.Events.Count("fragile-1", ReplicaEventKind.Starting));
        stack.AssertNothingLeft();
    }

    [Fact]
    public async Task AServiceThatIgnoresSigtermIsKilledAfterItsGracePeriod()
    {
        await using var stack = new OrchestratedStack(
            "grace",
            Backend("stubborn", ("BACKEND_IGNORE_SIGTERM", "1")) with { StopGracePeriod = TimeSpan.FromSeconds(1) },
            // Healthy, so it has set up its SIGTERM handling: as PID 1 of its namespace, it ignores SIGTERM until then.
            Backend("polite") with { Health = QuickHealth });
        await stack.StartAsync();

        await stack.StopAsync();

        var stubborn = await stack.Events.WaitForAsync("stubborn-1", ReplicaEventKind.Stopped);
        var polite = await stack.Events.WaitForAsync("polite-1", ReplicaEventKind.Stopped);
        Assert.Equal(9, stubborn.Exit!.Signal);
        Assert.Null(polite.Exit!.Signal);
        Assert.Equal(0, polite.Exit.ExitCode);
        stack.AssertNothingLeft();
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task ADirectoryImageRunsItsCommandAndAPid1WithoutHandlersIsKilledAfterItsGracePeriod()
    {
        await using var stack = new OrchestratedStack(
            "image",
            new ServiceDefinition { Name = "box", Image = "./box", Command = ["sh", "-c", "echo ready; exec sleep 1000"], StopGracePeriod = TimeSpan.FromSeconds(1) });
        BusyboxTree.Create(Path.Combine(stack.StackDirectory, "box"));

        await stack.StartAsync();
        await stack.Output.WaitForAsync("box-1 | ready");
        await stack.StopAsync();

        // sleep as PID 1 of its namespace has no handler for SIGTERM, so the kernel drops it.
        var stopped = await stack.Events.WaitForAsync("box-1", ReplicaEventKind.Stopped);
        Assert.Equal(9, stopped.Exit!.Signal);
        stack.AssertNothingLeft();
    }
}
