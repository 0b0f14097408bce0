using Berth.Host.Orchestration;
using Berth.Host.Tests.Orchestration;
using Berth.Runtime.Tests;

namespace Berth.Host.Tests.Control;

/// <summary>
/// <c>exec</c> from another process: the example's build runs the verb (for its stack, 'hello', service 'greeter'),
/// and a host in this process runs a stack of that name whose 'greeter' is a busybox image, so there is a shell to
/// run. The program gets the verb's own standard streams, its exit code is the verb's, Ctrl+C reaches it, and it
/// does not outlive the verb.
/// </summary>
public sealed class ExecCommandTests
{
    [RequiresToolFact("busybox", "busybox-static")]
    public async Task ExecRunsAProgramInAReplicaWithTheCallersStreams()
    {
        await using var stack = new OrchestratedStack(
            "hello",
            new ServiceDefinition
            {
                Name = "greeter",
                Image = "./box",
                Command = ["sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"],
                StopGracePeriod = TimeSpan.FromSeconds(1),
                Replicas = 2,
            });
        BusyboxTree.Create(Path.Combine(stack.StackDirectory, "box"));
        await using var controlled = new ControlledStack(stack);
        await controlled.Host.StartAsync().WaitAsync(TestTimeouts.Generous);
        using var hello = new HelloStackProcesses(stack.Options.StateDirectory, stack.Options.CgroupParent);

        // Its output and error are the verb's own, and so is its exit code.
        var (exitCode, output, error) = await hello.RunAsync("exec", "greeter", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.True(exitCode == 3, $"exit code {exitCode}: {error}");
        Assert.Equal("out\n", output);
        Assert.Equal("err\n", error);

        // In the replica asked for, in the directory asked for.
        (exitCode, output, error) = await hello.RunAsync("exec", "greeter", "--replica", "2", "--workdir", "/etc", "--", "sh", "-c", "hostname; pwd");
        Assert.True(exitCode == 0, error);
        Assert.Equal("greeter-2\n/etc\n", output);

        // Its input is the verb's.
        using (var reading = hello.Start("exec", "greeter", "--", "sh", "-c", "read line; echo \"got $line\""))
        {
            var lines = new ProcessLines(reading);
            await reading.StandardInput.WriteLineAsync("hello");
            reading.StandardInput.Close();
            await reading.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
            await lines.Completion;
            Assert.Equal(0, reading.ExitCode);
            Assert.Equal("got hello\n", await lines.Output);
        }

        // SIGINT for the verb (Ctrl+C) is passed on to the program.
        using (var interrupted = hello.Start("exec", "greeter", "--", "sh", "-c", "trap 'echo interrupted; exit 5' INT; echo ready; while true; do sleep 0.1; done"))
        {
            var lines = new ProcessLines(interrupted);
            await lines.WaitForAsync(line => line == "ready");
            Assert.Equal(0, Tmds.Linux.LibC.kill(interrupted.Id, Tmds.Linux.LibC.SIGINT));
            await interrupted.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
            await lines.Completion;
            Assert.Equal(5, interrupted.ExitCode);
            Assert.Contains("interrupted", lines.Lines);
        }

        // A verb killed outright takes its program along.
        var container = controlled.Orchestrator.GetReplicas()[0].ContainerId!;
        var before = hello.Cgroups.Open(container).ReadProcessIds().Count;
        using (var killed = hello.Start("exec", "greeter", "--", "sh", "-c", "echo ready; sleep 1000"))
        {
            var lines = new ProcessLines(killed);
            await lines.WaitForAsync(line => line == "ready");
            Assert.True(hello.Cgroups.Open(container).ReadProcessIds().Count > before);
            Assert.Equal(0, Tmds.Linux.LibC.kill(killed.Id, Tmds.Linux.LibC.SIGKILL));
            await killed.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        }

        await Eventually.WaitUntilAsync(() => hello.Cgroups.Open(container).ReadProcessIds().Count == before, "the program outlived the verb that ran it");

        // What cannot run says why, with exit code 126.
        (exitCode, _, error) = await hello.RunAsync("exec", "greeter", "--", "/no/such/program");
        Assert.Equal(126, exitCode);
        Assert.Contains("Cannot run the command: Exec in container 'greeter-1-", error, StringComparison.Ordinal);
        (exitCode, _, error) = await hello.RunAsync("exec", "greeter", "--replica", "3", "--", "true");
        Assert.Equal(126, exitCode);
        Assert.Contains("Service 'greeter' has replicas 1 to 2, not 3.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecSaysWhenTheStackIsNotRunning()
    {
        using var hello = new HelloStackProcesses();

        var (exitCode, _, error) = await hello.RunAsync("exec", "greeter", "--", "true");

        Assert.Equal(1, exitCode);
        Assert.Contains("Stack 'hello' is not running", error, StringComparison.Ordinal);
    }
}
