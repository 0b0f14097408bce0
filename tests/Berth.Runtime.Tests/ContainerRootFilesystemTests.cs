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
}
