namespace Berth.Runtime.Containers;

/// <summary>How a container's first process ended: its exit code, or the signal that killed it.</summary>
/// <param name="OomKilled">The kernel killed a process of the container because it hit its memory limit.</param>
public sealed record ContainerExit(int ExitCode, int? Signal, bool OomKilled = false)
{
    /// <summary>Shell convention: 128 + signal for a killed process, as <see cref="System.Diagnostics.Process.ExitCode"/> reports it.</summary>
    internal static ContainerExit FromProcessExitCode(int exitCode, bool oomKilled) =>
        exitCode > 128 && exitCode < 128 + 65
            ? new ContainerExit(exitCode, exitCode - 128, oomKilled)
            : new ContainerExit(exitCode, null, oomKilled);

    /// <summary>For the runtime's messages: "exit code 3", "killed by signal 9", "killed for exceeding the memory limit".</summary>
    internal string Summary => OomKilled ? "killed for exceeding the memory limit" : Signal is { } signal ? $"killed by signal {signal}" : $"exit code {ExitCode}";
}
