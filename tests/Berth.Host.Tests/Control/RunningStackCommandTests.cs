using System.Globalization;
using System.Text.Json;
using Berth.Host.Tests.Orchestration;

namespace Berth.Host.Tests.Control;

/// <summary>
/// <c>ps</c>, <c>logs</c> and <c>down</c> as a user runs them: the example stack's <c>up</c> in one child process,
/// the verbs in others, finding it through the state directory; and what a SIGKILL of <c>up</c> leaves (no running
/// container) and how the next run cleans the rest.
/// </summary>
public sealed class RunningStackCommandTests : IDisposable
{
    private readonly HelloStackProcesses _hello = new();

    public void Dispose() => _hello.Dispose();

    [Fact]
    public async Task PsLogsAndDownReachAStackStartedByAnotherProcess()
    {
        var (up, upOutput) = await _hello.UpAsync("--environment", "prod", "--gateway-port", "0");
        using var upProcess = up;

        // ps --format json: the stack and both replicas, each container's first process alive in its cgroup.
        var (exitCode, json, error) = await _hello.RunAsync("ps", "--format", "json");
        Assert.True(exitCode == 0, error);
        using (var status = JsonDocument.Parse(json))
        {
            var root = status.RootElement;
            Assert.Equal("hello", root.GetProperty("stack").GetString());
            Assert.Equal("prod", root.GetProperty("environment").GetString());
            Assert.Equal(up.Id, root.GetProperty("pid").GetInt32());
            Assert.StartsWith("http://127.0.0.1:", root.GetProperty("gateway").GetString(), StringComparison.Ordinal);
            var replicas = root.GetProperty("replicas").EnumerateArray().ToList();
            Assert.Equal(["greeter-1", "greeter-2"], replicas.Select(r => r.GetProperty("name").GetString()));
            foreach (var replica in replicas)
            {
                Assert.Equal("greeter", replica.GetProperty("service").GetString());
                Assert.Equal("running", replica.GetProperty("state").GetString());
                Assert.Equal("healthy", replica.GetProperty("health").GetString());
                Assert.Equal(0, replica.GetProperty("restarts").GetInt32());
                Assert.True(replica.GetProperty("memory_bytes").GetInt64() > 0);
                Assert.True(replica.GetProperty("uptime_seconds").GetDouble() >= 0);
                Assert.Equal(JsonValueKind.Null, replica.GetProperty("last_exit").ValueKind);
                var pid = replica.GetProperty("pid").GetInt32();
                var container = replica.GetProperty("container_id").GetString()!;
                Assert.StartsWith(replica.GetProperty("name").GetString() + "-", container, StringComparison.Ordinal);
                Assert.Contains(pid, _hello.Cgroups.Open(container).ReadProcessIds());
            }
        }

        // ps: a table with a header and a row per replica.
        (exitCode, var table, error) = await _hello.RunAsync("ps");
        Assert.True(exitCode == 0, error);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"Stack 'hello' (prod): PID {up.Id}, up ", rows[0], StringComparison.Ordinal);
        Assert.Equal(["NAME", "SERVICE", "STATE", "HEALTH", "RESTARTS", "PID", "MEMORY", "UPTIME"], rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["greeter-1", "greeter", "running", "healthy", "0"], rows[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
        Assert.Equal(["greeter-2", "greeter", "running", "healthy", "0"], rows[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
        Assert.All(rows[2..], row => Assert.Matches(@"^\d+\.\d MiB", row[rows[1].IndexOf("MEMORY", StringComparison.Ordinal)..]));

        // A second up of the same stack fails before it starts anything, naming the first.
        (exitCode, var upAgain, error) = await _hello.RunAsync("up", "--gateway-port", "0");
        Assert.Equal(1, exitCode);
        Assert.Contains($"Stack 'hello' is already running (PID {up.Id}, environment prod", error, StringComparison.Ordinal);
        Assert.Contains("`down`", error, StringComparison.Ordinal);
        Assert.DoesNotContain("starting", upAgain, StringComparison.Ordinal);

        // logs: what each replica wrote, after its name; an unknown service is refused.
        (exitCode, var logs, error) = await _hello.RunAsync("logs", "greeter");
        Assert.True(exitCode == 0, error);
        Assert.Contains(logs.Split('\n'), line => line.StartsWith("greeter-1 | ", StringComparison.Ordinal) && line.Contains("Now listening on: http://[::]:8080", StringComparison.Ordinal));
        Assert.Contains(logs.Split('\n'), line => line.StartsWith("greeter-2 | ", StringComparison.Ordinal) && line.Contains("Now listening on: http://[::]:8080", StringComparison.Ordinal));
        (exitCode, logs, _) = await _hello.RunAsync("logs", "--tail", "1", "--timestamps");
        Assert.Equal(2, logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(logs.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^greeter-\d \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ", line));
        (exitCode, _, _) = await _hello.RunAsync("logs", "nosuch");
        Assert.NotEqual(0, exitCode);

        // logs --follow prints what comes next (here: the services shutting down) and ends when the stack stops.
        // Once it has printed what was kept, it follows (the two are one step in the stack's process).
        using var follow = _hello.Start("logs", "--follow", "--tail", "1");
        var followed = new ProcessLines(follow);
        await followed.WaitForAsync(line => line.StartsWith("greeter-1 | ", StringComparison.Ordinal));
        await followed.WaitForAsync(line => line.StartsWith("greeter-2 | ", StringComparison.Ordinal));

        // down: the same ordered stop as Ctrl+C, shown as it happens; it returns once up has exited.
        (exitCode, var down, error) = await _hello.RunAsync("down");
        Assert.True(exitCode == 0, $"{down}\n{error}");
        Assert.True(up.HasExited, "down returned while up still ran");
        Assert.Contains($"Stopping stack 'hello' (prod, PID {up.Id})", down, StringComparison.Ordinal);
        Assert.Contains("greeter-1  stopped (exit code 0)", down, StringComparison.Ordinal);
        Assert.Contains("greeter-2  stopped (exit code 0)", down, StringComparison.Ordinal);
        Assert.Contains("Stack 'hello' stopped in ", down, StringComparison.Ordinal);

        await upOutput.Completion;
        Assert.Equal(0, up.ExitCode);
        Assert.Contains(upOutput.Lines, line => line.StartsWith("`down` (PID ", StringComparison.Ordinal) && line.EndsWith(") asked the stack to stop.", StringComparison.Ordinal));
        Assert.Contains(upOutput.Lines, line => line.Contains("greeter-1  stopped (exit code 0)", StringComparison.Ordinal));

        await follow.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await followed.Completion;
        Assert.Equal(0, follow.ExitCode);
        Assert.Contains(followed.Lines, line => line.StartsWith("greeter-1 | ", StringComparison.Ordinal) && line.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.Contains(followed.Lines, line => line.StartsWith("greeter-2 | ", StringComparison.Ordinal) && line.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.DoesNotContain(followed.Lines, line => line.Contains("Now listening on", StringComparison.Ordinal));

        _hello.AssertNothingLeft();

        // Now it is not running, and every verb says so.
        foreach (var verb in new[] { "ps", "logs", "down" })
        {
            (exitCode, _, error) = await _hello.RunAsync(verb);
            Assert.Equal(1, exitCode);
            Assert.Contains("Stack 'hello' is not running", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SigkillOfUpLeavesNoContainerRunningAndTheNextUpCleansTheRest()
    {
        var (up, upOutput) = await _hello.UpAsync("--gateway-port", "0");
        using var upProcess = up;
        var (exitCode, json, error) = await _hello.RunAsync("ps", "--format", "json");
        Assert.True(exitCode == 0, error);
        List<(string Container, int Pid)> containers;
        using (var status = JsonDocument.Parse(json))
        {
            containers = [.. status.RootElement.GetProperty("replicas").EnumerateArray().Select(r => (r.GetProperty("container_id").GetString()!, r.GetProperty("pid").GetInt32()))];
        }

        Assert.Single(containers);
        var started = containers.Select(c => (c.Container, c.Pid, StartTime: StartTime(c.Pid))).ToList();
        Assert.All(started, c => Assert.NotNull(c.StartTime));

        Assert.Equal(0, Tmds.Linux.LibC.kill(up.Id, Tmds.Linux.LibC.SIGKILL));
        await up.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);

        // Each container's init asked for SIGKILL when its parent dies: every process of every container ends.
        foreach (var (container, pid, startTime) in started)
        {
            await Eventually.WaitUntilAsync(() => StartTime(pid) != startTime, $"{container}'s process {pid} still runs after its host was killed");
            await Eventually.WaitUntilAsync(() => _hello.Cgroups.Open(container).ReadProcessIds().Count == 0, $"{container}'s cgroup still holds processes after its host was killed");
        }

        // What the killed run could not remove is still there, and the verbs say what happened.
        Assert.All(started, c => Assert.True(Directory.Exists(Path.Combine(_hello.ContainersDirectory, c.Container))));
        Assert.Equal(started.Select(c => c.Container).Order(StringComparer.Ordinal), _hello.Cgroups.ListNames().Order(StringComparer.Ordinal));
        (exitCode, _, error) = await _hello.RunAsync("ps");
        Assert.Equal(1, exitCode);
        Assert.Contains($"Stack 'hello' is not running: the process that ran it (PID {up.Id}, environment dev", error, StringComparison.Ordinal);

        // The next up removes it all (the stack's record, the containers' cgroups, mounts and state) and runs.
        var (next, nextOutput) = await _hello.UpAsync("--gateway-port", "0");
        using var nextProcess = next;
        Assert.Contains(nextOutput.Lines, line => line.Contains($"An earlier run of stack 'hello' (PID {up.Id}, environment dev", StringComparison.Ordinal));
        foreach (var (container, _, _) in started)
        {
            Assert.False(Directory.Exists(Path.Combine(_hello.ContainersDirectory, container)), $"{container}'s state remains");
            Assert.DoesNotContain(container, _hello.Cgroups.ListNames());
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(container, StringComparison.Ordinal));
        }

        (exitCode, var down, error) = await _hello.RunAsync("down");
        Assert.True(exitCode == 0, $"{down}\n{error}");
        await nextOutput.Completion;
        Assert.Equal(0, next.ExitCode);
        _hello.AssertNothingLeft();
    }

    /// <summary>The kernel's start time of a process (field 22 of /proc/PID/stat), null when it is gone: a PID reused meanwhile has another.</summary>
    private static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
