using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;
using Tmds.Linux;
using static Berth.Runtime.Tests.ShellOutput;

namespace Berth.Runtime.Tests;

/// <summary>
/// Real containers in init mode (<see cref="ContainerSpec.Init"/>): Berth's init stays PID 1, runs the service as
/// its child, reaps, forwards signals and ends with the service's status.
/// </summary>
public sealed class ContainerInitModeTests : IDisposable
{
    private readonly ScratchContainerRuntime _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task TheInitIsPidOneAndTheServiceItsChild()
    {
        var (exit, output) = await _scratch.RunAsync(InitShell("echo pid=$$; echo ppid=$PPID; tr '\\0' ' ' < /proc/1/cmdline"));

        Assert.Equal(0, exit.ExitCode);
        var lines = Lines(output);
        Assert.NotEqual("pid=1", lines[0]);
        Assert.Equal("ppid=1", lines[1]);
        Assert.Contains("--socket", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceRunsWithTheDroppedPrivilegesOfTheInit()
    {
        var (exit, output) = await _scratch.RunAsync(InitShell("grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            ["Uid:\t65534\t65534\t65534\t65534", "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2"],
            Lines(output));
    }

    [Fact]
    public async Task AnOrphanThatEndsIsReaped()
    {
        // The inner shell prints its PID and ends; it holds the pipe of $( ) until then, so the assignment returns
        // only once it has exited. Its parent, the ( ... & ) subshell, ends without waiting for it, so it passes to
        // the init, running or already a zombie, and nothing but the init can reap it.
        const string Script = """
            pid=$( (/bin/sh -c 'echo $$; exec /bin/sleep 0' &) )
            i=0
            while [ -e /proc/$pid ] && [ $i -lt 200 ]; do /bin/sleep 0.05; i=$((i + 1)); done
            if [ -e /proc/$pid ]; then echo "left: $(cat /proc/$pid/stat)"; else echo reaped; fi
            """;

        var (exit, output) = await _scratch.RunAsync(InitShell(Script));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["reaped"], Lines(output));
    }

    [Fact]
    public async Task EveryForwardedSignalReachesTheService()
    {
        const string Script = """
            for s in HUP INT QUIT USR1 USR2 WINCH CONT; do trap "echo $s" $s; done
            trap 'echo TERM; exit 42' TERM
            /bin/sleep 300 &
            echo ready
            while :; do wait; done
            """;
        await using var container = await _scratch.Runtime.StartAsync(InitShell(Script));
        Assert.Equal("ready", await container.StandardOutput.ReadLineAsync());

        var signals = new[]
        {
            ("HUP", LibC.SIGHUP), ("INT", LibC.SIGINT), ("QUIT", LibC.SIGQUIT), ("USR1", LibC.SIGUSR1),
            ("USR2", LibC.SIGUSR2), ("WINCH", LibC.SIGWINCH), ("CONT", LibC.SIGCONT), ("TERM", LibC.SIGTERM),
        };
        foreach (var (name, number) in signals)
        {
            container.Signal(number);
            Assert.Equal(name, await container.StandardOutput.ReadLineAsync());
        }

        Assert.Equal(new ContainerExit(42, null), await container.Exited);
    }

    [Fact]
    public async Task SigtermFromTheHostStopsAServiceWithoutAHandler()
    {
        // As PID 1 the service would never see this SIGTERM: the kernel drops it for want of a handler.
        await using var container = await _scratch.Runtime.StartAsync(InitSpec("/bin/sleep", "300"));

        container.Signal(LibC.SIGTERM);

        Assert.Equal(new ContainerExit(128 + LibC.SIGTERM, LibC.SIGTERM), await container.Exited);
    }

    [Fact]
    public async Task TheServicesExitCodeIsTheContainers()
    {
        var (exit, _) = await _scratch.RunAsync(InitShell("exit 7"));

        Assert.Equal(new ContainerExit(7, null), exit);
    }

    [Fact]
    public async Task AServiceKilledByASignalIsReportedAsThatSignal()
    {
        var (exit, _) = await _scratch.RunAsync(InitShell("kill -USR1 $$"));

        Assert.Equal(new ContainerExit(128 + LibC.SIGUSR1, LibC.SIGUSR1), exit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SigkillFromTheHostReadsTheSameInBothModes(bool init)
    {
        await using var container = await _scratch.Runtime.StartAsync(InitSpec("/bin/sleep", "300") with { Init = init });

        container.Signal(LibC.SIGKILL);

        Assert.Equal(new ContainerExit(128 + LibC.SIGKILL, LibC.SIGKILL), await container.Exited);
    }

    [Fact]
    public async Task AMissingExecutableIsAClearError()
    {
        var spec = InitSpec("/no/such/program");

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _scratch.Runtime.StartAsync(spec));

        Assert.Equal("exec", error.Stage);
        Assert.Contains("/no/such/program", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
        Assert.False(_scratch.HasState(spec.Id), "A failed start must leave no state behind.");
    }

    [Fact]
    public async Task AFileThatIsNotExecutableIsAClearError()
    {
        var spec = InitSpec("/etc/passwd");

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _scratch.Runtime.StartAsync(spec));

        Assert.Equal("exec", error.Stage);
        Assert.True(error.Message.Contains("Permission denied", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task SysPtraceIsRefusedInInitMode()
    {
        var spec = InitSpec("/bin/true") with { CapAdd = ["SYS_PTRACE"] };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _scratch.Runtime.StartAsync(spec));

        Assert.Equal("capabilities", error.Stage);
        Assert.Contains("SYS_PTRACE", error.Reason, StringComparison.Ordinal);
        Assert.False(_scratch.HasState(spec.Id));
    }

    [Fact]
    public async Task TheInitKeepsNoDescriptorOfTheHost()
    {
        // A descriptor every child of this process inherits, as a service manager's socket or a runner's pipe is.
        using var inherited = InheritablePipe.Create();
        await using var container = await _scratch.Runtime.StartAsync(InitSpec("/bin/sleep", "300"));

        var held = Directory.GetFiles($"/proc/{container.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();

        Assert.DoesNotContain(inherited.Target, held);
    }

    [Fact]
    public async Task AServiceOfTheInitsOwnUserCannotLookIntoTheInit()
    {
        // As root the service shares the init's user; without CAP_SYS_PTRACE it still may not look inside.
        const string Script = """
            readlink /proc/1/exe > /dev/null 2>&1; echo exe=$?
            readlink /proc/1/fd/0 > /dev/null 2>&1; echo fd=$?
            cat /proc/1/environ > /dev/null 2>&1; echo environ=$?
            """;
        var spec = InitShell(Script) with { User = "0" };

        var (exit, output) = await _scratch.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["exe=1", "fd=1", "environ=1"], Lines(output));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task InitModeWorksInARootFilesystemOfItsOwn()
    {
        var image = Directory.CreateTempSubdirectory("berth-image-").FullName;
        try
        {
            BusyboxTree.Create(image);
            var spec = InitShell("cat /etc/os-release; echo pid=$$; tr '\\0' ' ' < /proc/1/cmdline") with
            {
                Root = DirectoryRootFilesystem.Of(image),
                ReadOnlyRoot = true,
            };

            var (exit, output) = await _scratch.RunAsync(spec);

            Assert.Equal(0, exit.ExitCode);
            var lines = Lines(output);
            Assert.Equal("NAME=busybox", lines[0]);
            Assert.NotEqual("pid=1", lines[1]);
            Assert.Contains("--socket", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(image, recursive: true);
        }
    }

    private static ContainerSpec InitSpec(string executable, params string[] args) => new()
    {
        Id = ScratchContainerRuntime.NewId(),
        Executable = executable,
        Args = args,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        Init = true,
    };

    private static ContainerSpec InitShell(string script) => InitSpec("/bin/sh", "-c", script);
}
