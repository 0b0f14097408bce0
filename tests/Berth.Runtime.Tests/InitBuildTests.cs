using System.Runtime.InteropServices;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// The two builds of the init: the native one the build ships where a C toolchain can link it, and the managed one
/// that works everywhere. Both must start the same isolated container and fail the same clear way.
/// </summary>
public sealed class InitBuildTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly string _cgroupParent = $"berth/test-{Guid.NewGuid():N}";
    private readonly string _scratch = Directory.CreateTempSubdirectory("berth-init-locator-").FullName;

    public void Dispose()
    {
        Directory.Delete(_scratch, recursive: true);
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    public static TheoryData<string> InitBuilds => ["native", "managed"];

    [Fact]
    public void LocatorPrefersAnExecutableNativeInitForThisMachine()
    {
        var managed = Path.Combine(_scratch, InitLocator.ManagedFileName);
        Assert.Equal(managed, InitLocator.Find(_scratch));

        var nativeDirectory = Directory.CreateDirectory(Path.Combine(_scratch, "runtimes", RuntimeInformation.RuntimeIdentifier, "native")).FullName;
        var native = Path.Combine(nativeDirectory, InitLocator.NativeFileName);
        File.WriteAllBytes(native, []);
        File.SetUnixFileMode(native, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(managed, InitLocator.Find(_scratch));

        File.SetUnixFileMode(native, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(native, InitLocator.Find(_scratch));

        // Another machine's build is never picked.
        Directory.Move(nativeDirectory, Path.Combine(_scratch, "runtimes", "linux-riscv64"));
        Assert.Equal(managed, InitLocator.Find(_scratch));
    }

    [Fact]
    public void LocatorTakesANativeInitCopiedNextToTheApplication()
    {
        var native = Path.Combine(_scratch, InitLocator.NativeFileName);
        File.WriteAllBytes(native, []);
        File.SetUnixFileMode(native, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Assert.Equal(native, InitLocator.Find(_scratch));
    }

    /// <summary>The build links the native init where it can (CI installs gcc), and the runtime takes it by default.</summary>
    [RequiresToolFact("gcc", "gcc")]
    public void TheBuildShipsTheNativeInitAndItIsTheDefault()
    {
        RequiredTool.Find("gcc", "gcc");
        Assert.Equal("linux-x64", RuntimeInformation.RuntimeIdentifier);

        var native = InitLocator.FindNative(AppContext.BaseDirectory);

        Assert.NotNull(native);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "berth-init"), native);
        Assert.Equal(native, new ContainerRuntimeOptions().InitPath);

        // An ELF executable, not the managed assembly under another name.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(native).AsSpan(0, 4).ToArray());
    }

    /// <summary>The core isolation checks, once per init build, with the probe app in the .NET template.</summary>
    [Theory]
    [MemberData(nameof(InitBuilds))]
    public async Task EitherInitStartsAnIsolatedDotnetService(string build)
    {
        var runtime = Runtime(build);
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = [$"{DotnetRootFilesystem.AppMountPoint}/Berth.Runtime.Probe.dll", "isolation", "/no/host/marker"],
            Environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            Hostname = $"{build}-1",
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            ReadOnlyRoot = true,
        };

        await using var container = await runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        var errors = await container.StandardError.ReadToEndAsync();
        var exit = await container.Exited;

        Assert.True(exit.ExitCode == 0, $"The probe exited with {exit}: {errors}");
        var report = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, report.GetProperty("pid").GetInt32());
        Assert.Equal($"{build}-1", report.GetProperty("hostname").GetString());
        Assert.StartsWith("65534", report.GetProperty("uid").GetString(), StringComparison.Ordinal);
        Assert.Equal("0000000000000000", report.GetProperty("capEff").GetString());
        Assert.Equal("1", report.GetProperty("noNewPrivs").GetString());
        Assert.Equal("2", report.GetProperty("seccomp").GetString());
    }

    /// <summary>
    /// A root with nothing of .NET in it: the managed init must have loaded all it needs before pivot_root (the
    /// native one has it compiled in).
    /// </summary>
    [RequiresToolFact("busybox", "busybox-static")]
    public Task ManagedInitStartsABusyboxContainer() => BusyboxContainerStartsWith("managed");

    [RequiresToolFact("busybox", "busybox-static")]
    public Task NativeInitStartsABusyboxContainer() => BusyboxContainerStartsWith("native");

    [Theory]
    [MemberData(nameof(InitBuilds))]
    public async Task EitherInitReportsAMissingExecutableClearly(string build)
    {
        var spec = new ContainerSpec { Id = NewId(), Executable = "/no/such/program" };

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => Runtime(build).StartAsync(spec));

        Assert.Equal("exec", error.Stage);
        Assert.Contains("/no/such/program", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingInitIsAClearError()
    {
        var runtime = new ContainerRuntime(new ContainerRuntimeOptions
        {
            StateDirectory = _stateDirectory,
            CgroupParent = _cgroupParent,
            InitPath = Path.Combine(_scratch, InitLocator.NativeFileName),
        });

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/true" }));

        Assert.Contains(InitLocator.NativeFileName, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "containers")) && Directory.EnumerateFileSystemEntries(Path.Combine(_stateDirectory, "containers")).Any());
    }

    private async Task BusyboxContainerStartsWith(string build)
    {
        var image = Directory.CreateDirectory(Path.Combine(_scratch, "busybox")).FullName;
        BusyboxTree.Create(image);
        var spec = new ContainerSpec
        {
            Id = NewId(),
            Executable = "/bin/sh",
            Args = ["-c", "echo pid=$$ uid=$(id -u); ls /usr/share/dotnet 2>&1 | head -1"],
            Root = DirectoryRootFilesystem.Of(image),
        };

        await using var container = await Runtime(build).StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();

        Assert.Equal(0, (await container.Exited).ExitCode);
        Assert.StartsWith("pid=1 uid=65534\n", output, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A runtime with the given init build. "native" is the default the build ships; where no toolchain could link
    /// it (only outside CI: see <see cref="TheBuildShipsTheNativeInitAndItIsTheDefault"/>) the default is the managed
    /// init, which these tests then cover twice.
    /// </summary>
    private ContainerRuntime Runtime(string build) => new(new ContainerRuntimeOptions
    {
        StateDirectory = _stateDirectory,
        CgroupParent = _cgroupParent,
        InitPath = build == "managed" ? Path.Combine(AppContext.BaseDirectory, InitLocator.ManagedFileName) : InitLocator.Find(AppContext.BaseDirectory),
    });

    private static string NewId() => $"t-{Guid.NewGuid():N}"[..20];
}
