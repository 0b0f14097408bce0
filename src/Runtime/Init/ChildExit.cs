namespace Berth.Runtime.Init;

/// <summary>How a child process ended: its exit code, or the signal that killed it.</summary>
internal readonly record struct ChildExit(int Pid, int ExitCode, int? Signal)
{
    /// <summary>
    /// The status for an init that ends with this child: its exit code, or 128 + N for signal N, as a shell and
    /// tini report it. The init cannot die of the same signal instead: the kernel ignores signals that PID 1 of
    /// a namespace sends itself without a handler, SIGKILL included. The host sees no difference, since it reads
    /// a killed process's status as 128 + N too (<see cref="Containers.ContainerExit"/>).
    /// </summary>
    public int InitExitStatus => Signal is { } signal ? 128 + signal : ExitCode;
}
