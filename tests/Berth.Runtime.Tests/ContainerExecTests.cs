using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;
using Tmds.Linux;
using static Berth.Runtime.Tests.ShellOutput;

namespace Berth.Runtime.Tests;

/// <summary>
/// <see cref="Container.ExecAsync"/> with real containers: the exec'd process is in every namespace and the cgroup of
/// the container, with exactly the service's restrictions, in both modes of the container and with both builds of
/// the init; failures are clear errors, and nothing outlives its container.
/// </summary>
public sealed class ContainerExecTests : IDisposable
{
    /// <summary>What the kernel says about a process's identity and restrictions; the exec'd process must say the same as the service.</summary>
    private const string Restrictions = "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status";

    private static readonly string[] s_namespaces = ["pid", "mnt", "uts", "ipc", "net", "cgroup"];

    private readonly ScratchContainerRuntime _scratch = new();

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<bool> Modes => [false, true];

    [Fact]
    public async Task OutputComesThroughTheGivenHandlesAndTheExitCodeIsTheProcesss()
    {
        await using var container = await StartSleeperAsync();
        using var output = new OutputPipe();
        using var errors = new OutputPipe();

        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        {
            StandardOutput = output.WriteEnd,
            StandardError = errors.WriteEnd,
        });

        Assert.Equal("out\n", await output.ReadToEndAsync());
        Assert.Equal("err\n", await errors.ReadToEndAsync());
        Assert.Equal(new ContainerExit(3, null), await exec.Exited);
        Assert.False(container.Exited.IsCompleted, "The service ended with the exec'd process.");
    }

    [Fact]
    public async Task StandardInputIsTheGivenHandleAndDevNullWithoutOne()
    {
        await using var container = await StartSleeperAsync();
        var input = Path.Combine(_scratch.StateDirectory, "input.txt");
        Directory.CreateDirectory(_scratch.StateDirectory);
        File.WriteAllText(input, "from the host\n");
        using var inputHandle = File.OpenHandle(input);
        using var withInput = new OutputPipe();
        using var withoutInput = new OutputPipe();

        await using (var exec = await container.ExecAsync(new ExecSpec("/bin/cat", []) { StandardInput = inputHandle, StandardOutput = withInput.WriteEnd }))
        {
            Assert.Equal("from the host\n", await withInput.ReadToEndAsync());
            Assert.Equal(0, (await exec.Exited).ExitCode);
        }

        await using (var exec = await container.ExecAsync(new ExecSpec("/bin/sh", ["-c", "cat; readlink /proc/self/fd/0"]) { StandardOutput = withoutInput.WriteEnd }))
        {
            Assert.Equal("/dev/null\n", await withoutInput.ReadToEndAsync());
            Assert.Equal(0, (await exec.Exited).ExitCode);
        }
    }

    [Fact]
    public async Task ASignalEndsTheProcessWith128PlusItsNumber()
    {
        await using var container = await StartSleeperAsync();
        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]));

        exec.Signal(LibC.SIGTERM);

        Assert.Equal(new ContainerExit(128 + LibC.SIGTERM, LibC.SIGTERM), await exec.Exited);
    }

    [Theory]
    [InlineData(false, "65534")]
    [InlineData(true, "65534")]
    [InlineData(false, "0")]
    public async Task TheProcessHasExactlyTheServicesUserCapabilitiesNoNewPrivsAndSeccompFilter(bool init, string user)
    {
        // A kept capability, so that "the same" is more than "none"; as root and not (only a non-root user needs it ambient).
        var spec = Shell($"{Restrictions}; echo ready; exec /bin/sleep 300", init) with { User = user, CapAdd = ["NET_BIND_SERVICE"] };
        await using var container = await _scratch.Runtime.StartAsync(spec);
        var service = await ReadUntilReadyAsync(container);

        var (exit, execd) = await ExecAsync(container, new ExecSpec("/bin/sh", ["-c", Restrictions]));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(11, service.Length);
        Assert.Contains($"Uid:\t{user}\t{user}\t{user}\t{user}", service);
        Assert.Contains("CapEff:\t0000000000000400", service);
        Assert.Contains("NoNewPrivs:\t1", service);
        Assert.Contains("Seccomp:\t2", service);
        Assert.Equal(Lines(string.Join('\n', service)), Lines(execd));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TheProcessIsInEveryNamespaceAndTheCgroupOfTheContainer(bool init)
    {
        await using var container = await _scratch.Runtime.StartAsync(Shell("echo ready; exec /bin/sleep 300", init) with { Hostname = "exec-host" });
        await ReadUntilReadyAsync(container);
        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]));

        // As the host sees them: the same namespaces as the container's first process, and the same cgroup.
        foreach (var name in s_namespaces)
        {
            Assert.Equal(new FileInfo($"/proc/{container.Pid}/ns/{name}").LinkTarget, new FileInfo($"/proc/{exec.Pid}/ns/{name}").LinkTarget);
        }

        Assert.Equal(File.ReadAllText($"/proc/{container.Pid}/cgroup"), File.ReadAllText($"/proc/{exec.Pid}/cgroup"));
        Assert.NotEqual(File.ReadAllText("/proc/self/cgroup"), File.ReadAllText($"/proc/{exec.Pid}/cgroup"));

        // As it sees them: the container's hostname, its PID 1 (the service, or the init in init mode), its cgroup as /.
        var (exit, output) = await ExecAsync(container, new ExecSpec("/bin/sh", ["-c", "hostname; tr '\\0' ' ' < /proc/1/cmdline; echo; cut -d: -f3 /proc/self/cgroup | sort -u"]));
        Assert.Equal(0, exit.ExitCode);
        var lines = Lines(output);
        Assert.Equal("exec-host", lines[0]);
        if (init)
        {
            Assert.Contains("--socket", lines[1], StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("/bin/sleep 300", lines[1]);
        }

        Assert.Equal(["/"], lines[2..]);
    }

    [Fact]
    public async Task AContainerOnTheHostsNetworkCanBeExecdIntoAndItsProcessSharesThatNetwork()
    {
        await using var container = await _scratch.Runtime.StartAsync(Shell("exec /bin/sleep 300") with { Network = Networking.NetworkMode.Host });
        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]));

        Assert.Equal(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{exec.Pid}/ns/net").LinkTarget);
        Assert.Equal(new FileInfo($"/proc/{container.Pid}/ns/pid").LinkTarget, new FileInfo($"/proc/{exec.Pid}/ns/pid").LinkTarget);
        Assert.NotEqual(new FileInfo("/proc/self/ns/pid").LinkTarget, new FileInfo($"/proc/{exec.Pid}/ns/pid").LinkTarget);
    }

    [Fact]
    public async Task ItsProcessesCountAgainstTheContainersLimits()
    {
        await using var container = await StartSleeperAsync();
        var before = container.ReadStats().PidsCurrent;

        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]));

        Assert.Equal(before + 1, container.ReadStats().PidsCurrent);
    }

    [Fact]
    public async Task ByDefaultTheProcessGetsTheServicesEnvironmentAndDirectory()
    {
        var spec = Shell("env | sort; pwd; echo ready; exec /bin/sleep 300") with
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello world", ["PATH"] = "/usr/bin:/bin" },
            WorkingDirectory = "/tmp",
        };
        await using var container = await _scratch.Runtime.StartAsync(spec);
        var service = await ReadUntilReadyAsync(container);

        var (_, output) = await ExecAsync(container, new ExecSpec("/bin/sh", ["-c", "env | sort; pwd"]));

        Assert.Equal(WithoutShellVariables(string.Join('\n', service)), WithoutShellVariables(output));
        Assert.Contains("GREETING=hello world", service);
    }

    [Fact]
    public async Task TheEnvironmentAndDirectoryCanBeGiven()
    {
        await using var container = await StartSleeperAsync();

        var (exit, output) = await ExecAsync(container, new ExecSpec("/bin/sh", ["-c", "env | sort; pwd"])
        {
            Environment = new Dictionary<string, string> { ["ONLY"] = "this" },
            WorkingDirectory = "/proc",
        });

        Assert.Equal(0, exit.ExitCode);

        // PATH and HOME as for a service whose spec has none: Docker's search path, nobody's home.
        Assert.Equal([$"HOME={NobodysHome()}", "ONLY=this", $"PATH={ServiceEnvironment.DefaultPath}", "/proc"], WithoutShellVariables(output));
    }

    [Fact]
    public async Task ANameWithoutSlashIsLookedUpInThePathInsideTheContainer()
    {
        await using var container = await StartSleeperAsync();

        var (exit, output) = await ExecAsync(container, new ExecSpec("echo", ["found", "in", "PATH"]) { Environment = new Dictionary<string, string> { ["PATH"] = "/nowhere:/bin" } });

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("found in PATH\n", output);
    }

    [Theory]
    [InlineData("/no/such/program", "/no/such/program", "No such file or directory")]
    [InlineData("no-such-program", "'no-such-program' is not in PATH=", "No such file or directory")]
    [InlineData("/etc/passwd", "/etc/passwd", "Permission denied")]
    public async Task AProgramThatCannotBeExecutedIsAClearErrorAndLeavesNothing(string executable, string named, string why)
    {
        await using var container = await StartSleeperAsync();
        var pids = container.ReadStats().PidsCurrent;

        var error = await Assert.ThrowsAsync<ContainerExecException>(() => container.ExecAsync(new ExecSpec(executable, [])));

        Assert.Equal("exec", error.Stage);
        Assert.Equal(container.Id, error.ContainerId);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Equal(pids, container.ReadStats().PidsCurrent);
        Assert.Empty(Directory.EnumerateFiles(ContainerDirectory(container), "exec-*"));
    }

    [Fact]
    public async Task ASpecThatCannotBePassedOnIsRefusedBeforeAnythingStarts()
    {
        await using var container = await StartSleeperAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => container.ExecAsync(new ExecSpec("", [])));
        await Assert.ThrowsAsync<ArgumentException>(() => container.ExecAsync(new ExecSpec("/bin/echo", ["a\0b"])));
        await Assert.ThrowsAsync<ArgumentException>(() => container.ExecAsync(new ExecSpec("/bin/true", []) { Environment = new Dictionary<string, string> { ["A=B"] = "c" } }));
        using var closed = File.OpenHandle("/dev/null");
        closed.Dispose();
        await Assert.ThrowsAsync<ArgumentException>(() => container.ExecAsync(new ExecSpec("/bin/true", []) { StandardOutput = closed }));
        Assert.Equal(1, container.ReadStats().PidsCurrent);
    }

    [Fact]
    public async Task AMissingDirectoryIsAClearError()
    {
        await using var container = await StartSleeperAsync();

        var error = await Assert.ThrowsAsync<ContainerExecException>(() => container.ExecAsync(new ExecSpec("/bin/true", []) { WorkingDirectory = "/no/such/directory" }));

        Assert.Equal("chdir", error.Stage);
        Assert.Contains("/no/such/directory", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecBesideAServiceThatKeepsSysPtraceIsRefused()
    {
        // The service could trace the exec'd process's init, which holds the host's privileges until it drops them.
        await using var container = await _scratch.Runtime.StartAsync(Shell("exec /bin/sleep 300") with { User = "0", CapAdd = ["SYS_PTRACE"] });
        var pids = container.ReadStats().PidsCurrent;

        var error = await Assert.ThrowsAsync<ContainerExecException>(() => container.ExecAsync(new ExecSpec("/bin/true", [])));

        Assert.Equal("capabilities", error.Stage);
        Assert.Contains("SYS_PTRACE", error.Reason, StringComparison.Ordinal);
        Assert.Equal(pids, container.ReadStats().PidsCurrent);
    }

    [Fact]
    public async Task ExecIntoAContainerThatHasExitedIsAClearError()
    {
        await using var container = await _scratch.Runtime.StartAsync(Shell("exit 0"));
        await container.Exited;

        var error = await Assert.ThrowsAsync<ContainerExecException>(() => container.ExecAsync(new ExecSpec("/bin/true", [])));

        Assert.Equal("container", error.Stage);
        Assert.Contains("has exited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecIntoARemovedContainerIsRefused()
    {
        var container = await StartSleeperAsync();
        await container.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => container.ExecAsync(new ExecSpec("/bin/true", [])));
    }

    [Fact]
    public async Task DisposingTheProcessKillsIt()
    {
        await using var container = await StartSleeperAsync();
        var exec = await container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]));

        var pids = container.ReadStats().PidsCurrent;

        await exec.DisposeAsync();

        Assert.Equal(new ContainerExit(128 + LibC.SIGKILL, LibC.SIGKILL), await exec.Exited);
        Assert.Equal(pids - 1, container.ReadStats().PidsCurrent);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task RemovingTheContainerKillsEveryProcessExecdIntoIt(bool init)
    {
        var container = await _scratch.Runtime.StartAsync(Shell("echo ready; exec /bin/sleep 300", init));
        await ReadUntilReadyAsync(container);

        // One exec'd process with a child of its own, and one more; the caller disposes neither.
        using var output = new OutputPipe();
        var parent = await container.ExecAsync(new ExecSpec("/bin/sh", ["-c", "/bin/sleep 301 & echo started; wait"]) { StandardOutput = output.WriteEnd });
        var other = await container.ExecAsync(new ExecSpec("/bin/sleep", ["302"]));
        Assert.Equal("started", await output.ReadLineAsync());
        var sleepers = ChildrenOf(parent.Pid).Select(pid => (Pid: pid, Seconds: "301")).Append((Pid: other.Pid, Seconds: "302")).ToList();
        Assert.Equal(2, sleepers.Count);
        Assert.All(sleepers, p => Assert.True(IsSleeping(p.Pid, p.Seconds), $"{p.Pid} is not the expected sleep"));

        await container.DisposeAsync();

        Assert.Equal(LibC.SIGKILL, (await parent.Exited).Signal);
        Assert.Equal(LibC.SIGKILL, (await other.Exited).Signal);
        Assert.All(sleepers, p => Assert.False(IsSleeping(p.Pid, p.Seconds), $"{p.Pid} survived its container"));

        // The pipe's last writer, the grandchild, is gone too.
        Assert.Null(await output.ReadLineAsync());
        Assert.False(_scratch.HasState(container.Id));
    }

    [Fact]
    public async Task ProcessesCanBeStartedConcurrently()
    {
        await using var container = await StartSleeperAsync();

        var runs = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => ExecAsync(container, new ExecSpec("/bin/echo", [$"run {i}"]))));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"run {i}\n"), runs.Select(r => r.Output));
        Assert.All(runs, r => Assert.Equal(0, r.Exit.ExitCode));
    }

    [Fact]
    public async Task ACancelledExecLeavesNothing()
    {
        await using var container = await StartSleeperAsync();
        var pids = container.ReadStats().PidsCurrent;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => container.ExecAsync(new ExecSpec("/bin/sleep", ["300"]), cancelled.Token));

        Assert.Equal(pids, container.ReadStats().PidsCurrent);
        Assert.Empty(Directory.EnumerateFiles(ContainerDirectory(container), "exec-*"));
    }

    [Fact]
    public async Task AnOutputCaptureKeepsTheFirstBytesAndSaysWhenThereWasMore()
    {
        await using var container = await StartSleeperAsync();
        using var output = new OutputCapture(maxBytes: 100);

        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sh", ["-c", "head -c 100000 /dev/zero | tr '\\0' x; echo err >&2"])
        {
            StandardOutput = output.WriteEnd,
            StandardError = output.WriteEnd,
        });

        // It did not block on a full pipe: the capture read all 100 kB while keeping 100 bytes.
        Assert.Equal(0, (await exec.Exited).ExitCode);
        var (text, truncated) = await output.StopAsync();
        Assert.Equal(new string('x', 100), text);
        Assert.True(truncated);
    }

    [Fact]
    public async Task AnOutputCaptureEndsWithTheProcessEvenWhenAChildHoldsThePipe()
    {
        await using var container = await StartSleeperAsync();
        using var output = new OutputCapture();

        await using var exec = await container.ExecAsync(new ExecSpec("/bin/sh", ["-c", "echo before; /bin/sleep 300 & echo after"])
        {
            StandardOutput = output.WriteEnd,
        });

        Assert.Equal(0, (await exec.Exited).ExitCode);
        Assert.Equal(("before\nafter\n", false), await output.StopAsync());
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public Task ManagedInitExecsIntoARootFilesystemOfItsOwn() => ExecIntoBusyboxRootWith(InitLocator.ManagedFileName);

    [RequiresToolFact("busybox", "busybox-static")]
    public Task NativeOrDefaultInitExecsIntoARootFilesystemOfItsOwn() => ExecIntoBusyboxRootWith(null);

    /// <summary>
    /// A root with nothing of the host's or of .NET in it: the exec'd process sees the container's files, its secrets
    /// and its masked /proc, not the host's; the managed init must have loaded all it needs before joining it.
    /// </summary>
    private async Task ExecIntoBusyboxRootWith(string? initFileName)
    {
        var image = Directory.CreateTempSubdirectory("berth-exec-image-").FullName;
        try
        {
            BusyboxTree.Create(image);
            var runtime = initFileName is null ? _scratch.Runtime : new ContainerRuntime(new ContainerRuntimeOptions
            {
                StateDirectory = _scratch.StateDirectory,
                CgroupParent = $"berth/test-{Guid.NewGuid():N}",
                InitPath = Path.Combine(AppContext.BaseDirectory, initFileName),
            });
            var spec = Shell("echo ready; exec sleep 300") with
            {
                Root = DirectoryRootFilesystem.Of(image),
                ReadOnlyRoot = true,
                Secrets = [new SecretFile("token", "s3cret"u8.ToArray())],
            };
            await using var container = await runtime.StartAsync(spec);
            await ReadUntilReadyAsync(container);

            var (exit, output) = await ExecAsync(container, new ExecSpec("sh", ["-c", "cat /etc/os-release; cat /run/secrets/token; echo; wc -c < /proc/interrupts; ls /usr/share/dotnet 2>&1 | head -1"]));

            Assert.Equal(0, exit.ExitCode);
            var lines = Lines(output);
            Assert.Equal("NAME=busybox", lines[0]);
            Assert.Equal("s3cret", lines[1]);
            Assert.Equal("0", lines[2]); // Masked: the host's has some 2 KiB.
            Assert.Contains("No such file or directory", lines[3], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(image, recursive: true);
        }
    }

    private Task<Container> StartSleeperAsync() => _scratch.Runtime.StartAsync(Shell("exec /bin/sleep 300"));

    private static ContainerSpec Shell(string script, bool init = false) => new()
    {
        Id = ScratchContainerRuntime.NewId(),
        Executable = "/bin/sh",
        Args = ["-c", script],
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        Init = init,
    };

    /// <summary>Runs <paramref name="spec"/> to its end with its standard output captured.</summary>
    private static async Task<(ContainerExit Exit, string Output)> ExecAsync(Container container, ExecSpec spec)
    {
        using var output = new OutputPipe();
        await using var exec = await container.ExecAsync(spec with { StandardOutput = output.WriteEnd });
        var text = await output.ReadToEndAsync();
        return (await exec.Exited, text);
    }

    /// <summary>The service's lines up to its "ready".</summary>
    private static async Task<string[]> ReadUntilReadyAsync(Container container)
    {
        var lines = new List<string>();
        while (await container.StandardOutput.ReadLineAsync() is { } line && line != "ready")
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    private string ContainerDirectory(Container container) => Path.Combine(_scratch.StateDirectory, "containers", container.Id);

    private static IEnumerable<int> ChildrenOf(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse);

    /// <summary>Whether <paramref name="pid"/> is a <c>sleep</c> of <paramref name="seconds"/>: not another process that took over the PID.</summary>
    private static bool IsSleeping(int pid, string seconds)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").EndsWith($"sleep\0{seconds}\0", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
