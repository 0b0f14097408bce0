using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests;

/// <summary>
/// The signal state a service starts with, whatever the init was left with (the .NET runtime ignores SIGPIPE, and
/// ignored signals and the mask survive <c>execve</c>): none ignored, none blocked, with and without init mode.
/// </summary>
public sealed class ServiceSignalStateTests : IDisposable
{
    private readonly ScratchContainerRuntime _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheServiceStartsWithNoSignalIgnoredOrBlocked(bool init)
    {
        // grep itself, not a shell, which might change its own signal state before anything could look.
        var spec = new ContainerSpec
        {
            Id = ScratchContainerRuntime.NewId(),
            Executable = "/bin/grep",
            Args = ["-E", "^Sig(Blk|Ign):", "/proc/self/status"],
            Init = init,
        };

        var (exit, output) = await _scratch.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
