using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>Containers with a root filesystem of their own: the host's files are out of sight.</summary>
public sealed class ContainerRootFilesystemTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly string _image = Directory.CreateTempSubdirectory("berth-image-").FullName;
    private readonly ContainerRuntime _runtime;

    public ContainerRootFilesystemTests() =>
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = $"berth/test-{Guid.NewGuid():N}" });

    public void Dispose()
    {
        Directory.Delete(_image, recursive: true);
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task BusyboxRootShowsOnlyTheImageAndTheContainersOwnMounts()
    {
        BusyboxTree.Create(_image);
        var spec = new ContainerSpec
        {
            Id = $"t-{Guid.NewGuid():N}"[..20],
            Executable = "/bin/sh",
            Args = ["-c", "cat /etc/os-release; cat /etc/hostname; id -u; echo written > /tmp/file && cat /tmp/file; ls /work /root 2>&1 | head -2; cat /proc/kcore | wc -c; ls /run/secrets"],
            Hostname = "catalog-1",
            Root = DirectoryRootFilesystem.Of(_image),
            Secrets = [new SecretFile("api_key", "s3cret"u8.ToArray())],
        };

        await using var container = await _runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        var exit = await container.Exited;

        Assert.Equal(0, exit.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("NAME=busybox", lines[0]);
        Assert.Equal("catalog-1", lines[1]);
        Assert.Equal("65534", lines[2]);
        Assert.Equal("written", lines[3]);
        Assert.Contains("No such file or directory", lines[4], StringComparison.Ordinal);
        Assert.Equal("0", lines[^2]);
        Assert.Equal("api_key", lines[^1]);
        Assert.False(File.Exists(Path.Combine(_image, "tmp", "file")), "Writes must not reach the image.");
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task HostsOfTheSpecResolveInsideTheContainer()
    {
        BusyboxTree.Create(_image);
        var spec = new ContainerSpec
        {
            Id = $"t-{Guid.NewGuid():N}"[..20],
            Executable = "/bin/sh",
            Args = ["-c", "grep -v '^#' /etc/hosts"],
            Hostname = "orders-1",
            Root = DirectoryRootFilesystem.Of(_image),
            Hosts = [new HostEntry("catalog", "127.0.1.1"), new HostEntry("payments", "127.0.1.2")],
        };

        await using var container = await _runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        Assert.Equal(0, (await container.Exited).ExitCode);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is ["127.0.1.1", "catalog"]);
        Assert.Contains(lines, line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is ["127.0.1.2", "payments"]);
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task HomeComesFromTheImagesPasswdUnlessTheSpecSetsIt()
    {
        BusyboxTree.Create(_image);
        File.WriteAllText(Path.Combine(_image, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");

        // As Docker: the listed user's home, / for a user the image does not list, and what the spec says over both.
        Assert.Equal("/home/app", await HomeOfAsync("app", new Dictionary<string, string>()));
        Assert.Equal("/", await HomeOfAsync("4242", new Dictionary<string, string>()));
        Assert.Equal("/srv", await HomeOfAsync("app", new Dictionary<string, string> { ["HOME"] = "/srv" }));
    }

    /// <summary>
    /// The probe, a .NET app, runs as the service of a default container (the .NET template, read-only root, a
    /// secret) and reports what it sees and what it may do: one test for the whole default isolation.
    /// </summary>
    [Fact]
    public async Task DefaultContainerIsolatesADotnetService()
    {
        // Outside /tmp, which the container covers with its own tmpfs anyway.
        var hostMarker = Path.Combine("/run/berth", $"host-only-{Guid.NewGuid():N}");
        Directory.CreateDirectory("/run/berth");
        File.WriteAllText(hostMarker, "the host's");
        var spec = new ContainerSpec
        {
            Id = $"t-{Guid.NewGuid():N}"[..20],
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = [$"{DotnetRootFilesystem.AppMountPoint}/Berth.Runtime.Probe.dll", "isolation", hostMarker],
            Environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            Hostname = "payments-1",
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            ReadOnlyRoot = true,
            Secrets = [new SecretFile("api_key", "s3cret"u8.ToArray())],
        };

        System.Text.Json.JsonElement report;
        try
        {
            await using var container = await _runtime.StartAsync(spec);
            var output = await container.StandardOutput.ReadToEndAsync();
            var errors = await container.StandardError.ReadToEndAsync();
            var exit = await container.Exited;
            Assert.True(exit.ExitCode == 0, $"The probe exited with {exit}: {errors}");
            report = System.Text.Json.JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            File.Delete(hostMarker);
        }


        Assert.Equal(1, report.GetProperty("pid").GetInt32());
        Assert.Equal("payments-1", report.GetProperty("hostname").GetString());
        Assert.Equal(1, report.GetProperty("processes").GetInt32());
        Assert.False(report.GetProperty("hostPathVisible").GetBoolean());
        Assert.DoesNotContain("work", report.GetProperty("rootEntries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["lo"], report.GetProperty("networkInterfaces").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("65534", report.GetProperty("uid").GetString(), StringComparison.Ordinal);
        Assert.Equal("0000000000000000", report.GetProperty("capEff").GetString());
        Assert.Equal("0000000000000000", report.GetProperty("capBnd").GetString());
        Assert.Equal("1", report.GetProperty("noNewPrivs").GetString());
        Assert.Equal("2", report.GetProperty("seccomp").GetString());
        var calls = report.GetProperty("calls");
        const int EPERM = 1;
        Assert.Equal(EPERM, calls.GetProperty("mount").GetProperty("errno").GetInt32());
        Assert.Equal(EPERM, calls.GetProperty("unshareMountNamespace").GetProperty("errno").GetInt32());
        Assert.Equal(EPERM, calls.GetProperty("keyctl").GetProperty("errno").GetInt32());

        // Only the seccomp filter answers clone3 with ENOSYS (unfiltered it is EINVAL for these arguments).
        const int ENOSYS = 38;
        Assert.Equal(ENOSYS, calls.GetProperty("clone3").GetProperty("errno").GetInt32());
        Assert.Contains(report.GetProperty("kcoreBytes").GetString(), new[] { "0", "FileNotFoundException" });
        Assert.Contains("Read-only file system", report.GetProperty("rootWrite").GetString(), StringComparison.Ordinal);
        Assert.Equal("written", report.GetProperty("tmpWrite").GetString());
        var secret = report.GetProperty("secret");
        Assert.Equal("s3cret", secret.GetProperty("content").GetString());
        Assert.Equal("400", secret.GetProperty("mode").GetString());
        Assert.Equal(65534u, secret.GetProperty("owner").GetUInt32());
        Assert.Equal(["DOTNET_CLI_TELEMETRY_OPTOUT", "HOME", "PATH"], report.GetProperty("environmentNames").EnumerateArray().Select(e => e.GetString()));

        // The generated /etc/passwd gives the service's user the writable /tmp as its home, where .NET keeps its data.
        Assert.Equal("/tmp", report.GetProperty("home").GetString());
    }

    [Fact]
    public async Task DotnetTemplateRunsTheHostsDotnetAndNothingElseOfTheHost()
    {
        var spec = new ContainerSpec
        {
            Id = $"t-{Guid.NewGuid():N}"[..20],
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = ["--list-runtimes"],
            Environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            Root = DotnetRootFilesystem.ForHost(_image),
            ReadOnlyRoot = true,
        };

        await using var container = await _runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        var errors = await container.StandardError.ReadToEndAsync();
        var exit = await container.Exited;

        Assert.True(exit.ExitCode == 0, $"dotnet exited with {exit}: {errors}");
        Assert.Contains("Microsoft.NETCore.App", output, StringComparison.Ordinal);
    }

    private async Task<string> HomeOfAsync(string user, Dictionary<string, string> environment)
    {
        var spec = new ContainerSpec
        {
            Id = $"t-{Guid.NewGuid():N}"[..20],
            Executable = "/bin/sh",
            Args = ["-c", "echo \"$HOME\""],
            Environment = environment,
            User = user,
            Root = DirectoryRootFilesystem.Of(_image),
        };

        await using var container = await _runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        Assert.Equal(0, (await container.Exited).ExitCode);
        return output.Trim();
    }
}
