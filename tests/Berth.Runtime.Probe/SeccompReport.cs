using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Probe;

/// <summary>The <c>seccomp</c> verb's report.</summary>
internal sealed record SeccompReport(
    string Architecture,
    int Instructions,
    SeccompInstallResult? Install,
    string? InstallError,
    PrivilegedCalls Before,
    PrivilegedCalls After,
    SyscallOutcome Getpid,
    int ProcessId,
    ThreadReport? ThreadStartedBeforeInstall,
    ThreadReport NewThread,
    string? ThreadPoolError,
    GarbageCollectionReport GarbageCollection,
    ProcStatus Status);
