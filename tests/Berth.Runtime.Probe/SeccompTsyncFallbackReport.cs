using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Probe;

/// <summary>The <c>seccomp-tsync-fallback</c> verb's report.</summary>
internal sealed record SeccompTsyncFallbackReport(
    SyscallOutcome OtherThreadLoad,
    long OtherThreadId,
    SeccompInstallResult? Install,
    string? InstallError,
    ThreadReport CallingThread,
    ThreadReport? OtherThread);
