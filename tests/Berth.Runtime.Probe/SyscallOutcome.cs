using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>What one system call returned: its result, and errno when the result is -1.</summary>
internal sealed record SyscallOutcome(long Result, int Errno)
{
    public static SyscallOutcome Of(long result) => new(result, result == -1 ? LibC.errno : 0);
}
