using Berth.Host.Control;
using Berth.Host.Orchestration;
using Berth.Host.Tests.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Host.Tests.Orchestration.OrchestratedStack;

namespace Berth.Host.Tests.Control;

/// <summary>
/// The stack's control with a host in this process (the library's way): what <c>ps</c> shows and never shows, and
/// one host per stack.
/// </summary>
public sealed class StackControlTests
{
    private const string SecretValue = "secret-value-do-not-print-5d1c";
    /// <summary>A host variable that a service's <c>env</c> interpolates: no secret by kind, but nothing to show either.</summary>
    private const string EnvironmentValue = "env-value-do-not-print-5d1c";

    [Fact]
    public async Task PsAndConfigNeverShowASecretValue()
    {
        await using var stack = new OrchestratedStack(
            "vault",
            Backend("api", ("API_TOKEN", "${VAULT_TOKEN}")) with { Routes = ["/"], Health = QuickHealth, Secrets = ["token"], Replicas = 2 },
            Backend("worker") with { Secrets = ["token"] });
        File.WriteAllText(Path.Combine(stack.StackDirectory, "token.txt"), SecretValue);
        stack.Options.HostVariable = name => name == "VAULT_TOKEN" ? EnvironmentValue : null;
        await using var controlled = new ControlledStack(stack);
        await controlled.Host.StartAsync().WaitAsync(TestTimeouts.Generous);

        // The services have both values...
        using (var gateway = new HttpClient { BaseAddress = controlled.Orchestrator.Network!.GatewayAddress, Timeout = TestTimeouts.Generous })
        {
            Assert.Equal(SecretValue, await gateway.GetStringAsync("/any/secrets/token"));
            Assert.Contains($"API_TOKEN={EnvironmentValue}", await gateway.GetStringAsync("/env"), StringComparison.Ordinal);
        }

        // ... and no view of the stack shows either.
        foreach (var args in new[] { ["ps"], ["ps", "--format", "json"], ["config"], (string[])["config", "--format", "toml"] })
        {
            var (exitCode, output, error) = await controlled.RunAsync(args);

            Assert.True(exitCode == 0, error);
            Assert.Contains("api", output, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretValue, output + error, StringComparison.Ordinal);
            Assert.DoesNotContain(EnvironmentValue, output + error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ASecondHostOfARunningStackFailsBeforeItStartsAnything()
    {
        await using var stack = new OrchestratedStack("twice", Backend("api") with { Health = QuickHealth });
        await using var controlled = new ControlledStack(stack);
        await controlled.Host.StartAsync().WaitAsync(TestTimeouts.Generous);
        var second = controlled.NewHost();
        var events = new ReplicaEventLog();
        second.Services.GetRequiredService<StackOrchestrator>().ReplicaChanged += events.Record;

        var refused = await Assert.ThrowsAsync<StackAlreadyRunningException>(() => second.StartAsync().WaitAsync(TestTimeouts.Generous));
        await second.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Generous);
        second.Dispose();

        Assert.Equal(Environment.ProcessId, refused.Pid);
        Assert.Contains($"Stack 'twice' is already running (PID {Environment.ProcessId}, environment test", refused.Message, StringComparison.Ordinal);
        Assert.Empty(events.Events);

        // The first still runs, and still owns the stack: ps reaches it.
        var (exitCode, output, error) = await controlled.RunAsync("ps", "--format", "json");
        Assert.True(exitCode == 0, error);
        Assert.Contains("\"state\": \"running\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpSaysWhenItsStateDirectoryCannotBeUsed()
    {
        await using var stack = new OrchestratedStack("nowhere", Backend("api"));
        await using var controlled = new ControlledStack(stack);
        var file = Path.Combine(stack.StackDirectory, "a-file");
        File.WriteAllText(file, "not a directory");
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Berth:StateDirectory"] = Path.Combine(file, "state") }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await StackCommandLine.RunAsync(controlled.Descriptor, ["up"], settings, output, error).WaitAsync(TestTimeouts.Generous);

        Assert.Equal(1, exitCode);
        Assert.Contains("Stack 'nowhere' did not start: its state directory cannot be used (", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Berth__StateDirectory", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("starting", output.ToString(), StringComparison.Ordinal);
    }
}
