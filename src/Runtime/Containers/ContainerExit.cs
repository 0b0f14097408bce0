namespace Berth.Runtime.Containers;

/// <summary>How a container's first process ended: its exit code, or the signal that killed it.</summary>
public sealed record ContainerExit(int ExitCode, int? Signal)
{
    /// <summary>Shell convention: 128 + signal for a killed process, as <see cref="System.Diagnostics.Process.ExitCode"/> reports it.</summary>
    internal static ContainerExit FromProcessExitCode(int exitCode) =>
        exitCode > 128 && exitCode < 128 + 65 ? new ContainerExit(exitCode, exitCode - 128) : new ContainerExit(exitCode, null);
}
