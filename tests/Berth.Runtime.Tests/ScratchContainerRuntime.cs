using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests;

/// <summary>A <see cref="ContainerRuntime"/> with a state directory and a cgroup parent of its own, removed on dispose.</summary>
internal sealed class ScratchContainerRuntime : IDisposable
{
    public ScratchContainerRuntime() =>
        Runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = StateDirectory, CgroupParent = $"berth/test-{Guid.NewGuid():N}" });

    public string StateDirectory { get; } = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");

    public ContainerRuntime Runtime { get; }

    public static string NewId() => $"t-{Guid.NewGuid():N}"[..20];

    /// <summary>Runs the container to its end: its exit and everything it wrote to standard output.</summary>
    public async Task<(ContainerExit Exit, string Output)> RunAsync(ContainerSpec spec)
    {
        await using var container = await Runtime.StartAsync(spec);
        var output = await container.StandardOutput.ReadToEndAsync();
        return (await container.Exited, output);
    }

    public bool HasState(string id) => Directory.Exists(Path.Combine(StateDirectory, "containers", id));

    public void Dispose()
    {
        if (Directory.Exists(StateDirectory))
            Directory.Delete(StateDirectory, recursive: true);
    }
}
