using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;
using Tmds.Linux;
using static Berth.Runtime.Tests.ShellOutput;

namespace Berth.Runtime.Tests;

/// <summary>Real containers: the init starts in new namespaces on this machine and executes the service.</summary>
public sealed class ContainerTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");

    // A parent of their own keeps these cgroups apart from anything else under berth/.
    private readonly string _cgroupParent = $"berth/test-{Guid.NewGuid():N}";
    private readonly ContainerRuntime _runtime;

    public ContainerTests() =>
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = _cgroupParent });

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task ServiceIsPidOneWithItsOwnHostnameProcessesAndNetwork()
    {
        var (exit, output) = await RunAsync(Shell("echo pid=$$; hostname; grep ':' /proc/net/dev | cut -d: -f1; ls /proc | grep -c '^[0-9]'"), hostname: "catalog-1");

        Assert.Equal(0, exit.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("pid=1", lines[0]);
        Assert.Equal("catalog-1", lines[1]);
        Assert.Equal("lo", lines[2]);

        // Only the shell and its pipeline: none of the host's processes.
        Assert.InRange(int.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture), 1, 6);
        Assert.NotEqual("catalog-1", File.ReadAllText("/proc/sys/kernel/hostname").Trim());
    }

    [Fact]
    public async Task ServiceLeadsASessionOfItsOwn()
    {
        // Process group and session of PID 1: its own (1 and 1), not the host's terminal's, which this PID namespace
        // could not even name (it would read 0).
        var (exit, output) = await RunAsync(Shell("cut -d' ' -f5,6 /proc/1/stat"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("1 1", output.Trim());
    }

    [Fact]
    public async Task ServiceGetsExactlyTheSpecsEnvironmentAndWorkingDirectory()
    {
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = "/bin/sh",
            Args = ["-c", "env | sort; pwd"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello world", ["PATH"] = "/usr/bin:/bin" },
            WorkingDirectory = "/tmp",
        };

        var (exit, output) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        var lines = WithoutShellVariables(output);

        // HOME is the only variable the spec did not set: nobody's home in /etc/passwd (the host's, for a container without a root).
        Assert.Equal(["GREETING=hello world", $"HOME={NobodysHome()}", "PATH=/usr/bin:/bin", "/tmp"], lines);
    }

    [Fact]
    public async Task WithoutPathOrHomeTheServiceGetsDockersDefaults()
    {
        // No PATH given: the shell finds env and sort only through the default search path.
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/sh", Args = ["-c", "env | sort"] };

        var (exit, output) = await RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal([$"HOME={NobodysHome()}", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], WithoutShellVariables(output));
    }

    [Fact]
    public async Task ExitCodeAndSignalAreReported()
    {
        var (exit, _) = await RunAsync(Shell("exit 7"));
        Assert.Equal(new ContainerExit(7, null), exit);

        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] };
        await using var container = await _runtime.StartAsync(spec);
        container.Signal(LibC.SIGKILL);
        Assert.Equal(new ContainerExit(128 + LibC.SIGKILL, LibC.SIGKILL), await container.Exited);
    }

    [Fact]
    public async Task MissingExecutableIsAClearError()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/no/such/program" };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _runtime.StartAsync(spec));

        Assert.Equal("exec", error.Stage);
        Assert.Contains("/no/such/program", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", spec.Id)), "A failed start must leave no state behind.");
    }

    [Fact]
    public async Task MissingWorkingDirectoryIsAClearError()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/true", WorkingDirectory = "/no/such/dir" };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _runtime.StartAsync(spec));

        Assert.Equal("chdir", error.Stage);
        Assert.Contains("/no/such/dir", error.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", spec.Id)));
    }

    [Fact]
    public async Task DisposeKillsTheContainerAndRemovesItsState()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] };
        var container = await _runtime.StartAsync(spec);
        var directory = Path.Combine(_stateDirectory, "containers", spec.Id);
        Assert.True(Directory.Exists(directory));
        var pid = container.Pid;

        await container.DisposeAsync();

        Assert.Equal(LibC.SIGKILL, (await container.Exited).Signal);
        Assert.False(Directory.Exists(directory));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"Process {pid} is still there.");
    }

    [Fact]
    public async Task AnIdInUseIsRefused()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] };
        await using var first = await _runtime.StartAsync(spec);

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _runtime.StartAsync(spec));

        Assert.Equal("state", error.Stage);
        Assert.False(first.Exited.IsCompleted, "Refusing the second must not touch the first.");
    }

    [Fact]
    public async Task MemoryLimitKillsAnAllocatorAndTheExitSaysOom()
    {
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = "/bin/sh",
            Args = ["-c", "echo started; exec dd if=/dev/zero of=/dev/null bs=64M count=1"],
            Limits = new CgroupLimits(MemoryBytes: 16 << 20),
        };

        var (exit, output) = await RunAsync(spec);

        Assert.Equal("started", output.Trim());
        Assert.Equal(LibC.SIGKILL, exit.Signal);
        Assert.True(exit.OomKilled, $"Expected an OOM kill, got {exit}.");
    }

    [Fact]
    public async Task AnInitKilledBeforeTheServiceStartsIsAFailedStart()
    {
        // Too little memory for the managed init: it dies after joining the cgroup, before it can exec. (The native
        // init sets a container up within 1 MiB.)
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/true", Limits = new CgroupLimits(MemoryBytes: 1 << 20) };
        var managedInit = new ContainerRuntime(new ContainerRuntimeOptions
        {
            StateDirectory = _stateDirectory,
            CgroupParent = _cgroupParent,
            InitPath = Path.Combine(AppContext.BaseDirectory, InitLocator.ManagedFileName),
        });

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => managedInit.StartAsync(spec));

        Assert.Equal("init", error.Stage);
        Assert.Contains("memory limit", error.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", spec.Id)));
    }

    [Fact]
    public async Task NoDescriptorOfTheHostReachesTheService()
    {
        var (exit, output) = await RunAsync(Shell("ls /proc/self/fd"));

        Assert.Equal(0, exit.ExitCode);

        // stdin, stdout, stderr, and the directory ls itself reads.
        Assert.Subset(new HashSet<string> { "0", "1", "2", "3" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
    }

    [Fact]
    public async Task ServiceSeesItsOwnCgroupAsTheRoot()
    {
        var (exit, output) = await RunAsync(Shell("cat /proc/self/cgroup"));

        Assert.Equal(0, exit.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.EndsWith(":/", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatsComeFromTheCgroupAndDisposeRemovesIt()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"], Limits = new CgroupLimits(Pids: 10) };
        var factory = new CgroupFactory(CgroupLayout.Detect(), _cgroupParent);
        var container = await _runtime.StartAsync(spec);

        Assert.Equal(1, container.ReadStats().PidsCurrent);
        Assert.Contains(spec.Id, factory.ListNames());

        await container.DisposeAsync();

        Assert.DoesNotContain(spec.Id, factory.ListNames());
    }

    [Fact]
    public async Task ServiceRunsUnderSeccompWithNoNewPrivileges()
    {
        var (exit, output) = await RunAsync(Shell("grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status; unshare -m /bin/true; echo unshare=$?"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("Seccomp:\t2", output, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", output, StringComparison.Ordinal);
        Assert.Contains("unshare=1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAProfileTheServiceIsUnconfined()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/grep", Args = ["^Seccomp:", "/proc/self/status"], Seccomp = null };

        var (_, output) = await RunAsync(spec);

        Assert.Contains("Seccomp:\t0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainersDieWithTheirHostEvenOnSigkill()
    {
        var id = NewId();
        await StartAHostAndKillItAsync(id);

        // The dead host cleaned nothing up; the next host does.
        var factory = new CgroupFactory(CgroupLayout.Detect(), _cgroupParent);
        Assert.Contains(id, factory.ListNames());
        await using (var running = await _runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] }))
        {
            Assert.Equal([id], await _runtime.RemoveLeftoversAsync());
            Assert.False(running.Exited.IsCompleted, "A container whose host runs must be left alone.");
        }

        Assert.DoesNotContain(id, factory.ListNames());
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", id)));
    }

    [Fact]
    public async Task LeftoversOfADeadHostNeverTouchAnotherHostsContainers()
    {
        var id = NewId();
        await StartAHostAndKillItAsync(id);

        // Another host, with a state directory of its own and the same cgroup parent (as two hosts share the berth
        // parent of cpu, pids and freezer here), takes over the dead host's empty cgroup by starting the same id.
        var otherHost = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = Path.Combine(_stateDirectory, "other"), CgroupParent = _cgroupParent });
        var sameName = await otherHost.StartAsync(new ContainerSpec { Id = id, Executable = "/bin/sleep", Args = ["300"] });
        try
        {
            await using var otherName = await otherHost.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] });

            Assert.Empty(await _runtime.RemoveLeftoversAsync());

            Assert.False(sameName.Exited.IsCompleted, "The other host's container under the dead one's name must be left alone.");
            Assert.False(otherName.Exited.IsCompleted, "The other host's container must be left alone.");
            Assert.Equal(1, sameName.ReadStats().PidsCurrent);
            Assert.True(Directory.Exists(Path.Combine(_stateDirectory, "containers", id)), "The dead host's state stays while its name is in use.");
        }
        finally
        {
            await sameName.DisposeAsync();
        }

        // Once the other host is done with the name, what the dead host left goes.
        Assert.Equal([id], await _runtime.RemoveLeftoversAsync());
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", id)));
        Assert.DoesNotContain(id, new CgroupFactory(CgroupLayout.Detect(), _cgroupParent).ListNames());
    }

    [Fact]
    public async Task ByDefaultTheServiceIsNobodyWithoutCapabilities()
    {
        var (exit, output) = await RunAsync(Shell("id -u; id -g; id -G; grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status"));

        Assert.Equal(0, exit.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["65534", "65534", "65534"], lines[..3]);
        Assert.All(lines[3..], line => Assert.EndsWith("0000000000000000", line, StringComparison.Ordinal));
        Assert.Equal(5, lines.Length - 3);
    }

    [Fact]
    public async Task AnAddedCapabilityIsTheOnlyOneKept()
    {
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = "/bin/grep",
            Args = ["-E", "^Cap(Eff|Bnd):", "/proc/self/status"],
            User = "0",
            CapAdd = ["NET_BIND_SERVICE"],
        };

        var (_, output) = await RunAsync(spec);

        Assert.Equal(["CapEff:\t0000000000000400", "CapBnd:\t0000000000000400"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CapAddAllKeepsEveryCapabilityTheHostHasAndTheCallsTheyUnlock()
    {
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = "/bin/sh",
            Args = ["-c", "grep -E '^Cap(Eff|Bnd):' /proc/self/status; unshare -m /bin/true; echo unshare=$?"],
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            User = "0",
            CapAdd = ["all"],
        };

        var (exit, output) = await RunAsync(spec);

        // The host's own bounding set, as far as Berth names capabilities: here all but SYS_RESOURCE, which root lacks.
        var host = Security.CapabilitySet.ParseHex(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))[7..])
            .Intersect(Security.CapabilitySet.UpTo(Security.LinuxCapabilityNames.Last));
        Assert.Contains(Security.LinuxCapability.SysAdmin, host);
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal([$"CapEff:\t{host.ToHex()}", $"CapBnd:\t{host.ToHex()}", "unshare=0"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AnUnknownCapabilityIsAClearErrorBeforeAnythingIsMade()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/true", CapAdd = ["NET_BIND_SERVICE", "NET_BIND_SERVIC"] };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _runtime.StartAsync(spec));

        Assert.Equal("capabilities", error.Stage);
        Assert.Contains("'NET_BIND_SERVIC'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("Did you mean NET_BIND_SERVICE?", error.Reason, StringComparison.Ordinal);
        Assert.Contains("ALL", error.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers", spec.Id)));
    }

    [Fact]
    public async Task UnknownUserIsAClearError()
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/bin/true", User = "no-such-user" };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _runtime.StartAsync(spec));

        Assert.Equal("user", error.Stage);
        Assert.Contains("no-such-user", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs a host (the probe, with this test's state directory and cgroup parent) that starts container
    /// <paramref name="id"/>, SIGKILLs it, and sees the container die with it; its cgroup and state stay behind.
    /// </summary>
    private async Task StartAHostAndKillItAsync(string id)
    {
        using var host = ProbeProcess.Start("container-host", _stateDirectory, _cgroupParent, id);
        try
        {
            var line = await host.StandardOutput.ReadLineAsync();
            if (line is null)
            {
                Assert.Fail($"The host probe reported nothing: {await host.StandardError.ReadToEndAsync()}");
            }

            var pid = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("pid").GetInt32();
            Assert.True(Directory.Exists($"/proc/{pid}"));

            host.Kill();
            await host.WaitForExitAsync();

            // The kernel delivers the init's parent-death signal as the host dies; allow it a moment to land.
            for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
            {
                await Task.Delay(50);
            }

            Assert.False(Directory.Exists($"/proc/{pid}"), $"Container process {pid} outlived its host.");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }
        }
    }

    private async Task<(ContainerExit Exit, string Output)> RunAsync(ContainerSpec spec)
    {
        await using var container = await _runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        return (await container.Exited, output);
    }

    private Task<(ContainerExit Exit, string Output)> RunAsync(string[] command, string? hostname = null) =>
        RunAsync(new ContainerSpec
        {
            Id = NewId(),
            Executable = command[0],
            Args = command[1..],
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            Hostname = hostname,
        });

    private static string[] Shell(string script) => ["/bin/sh", "-c", script];

    /// <summary>The lines of <c>env</c> output, without the variables the shell sets for itself.</summary>
    private static string NewId() => $"t-{Guid.NewGuid():N}"[..20];
}
