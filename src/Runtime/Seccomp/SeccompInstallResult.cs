namespace Berth.Runtime.Seccomp;

/// <summary>How far a filter reached when <see cref="SeccompInstaller.Install"/> loaded it.</summary>
/// <param name="AllThreads">
/// True when <c>SECCOMP_FILTER_FLAG_TSYNC</c> put the filter (and no_new_privs) on every thread of the process;
/// false when only the calling thread has it.
/// </param>
/// <param name="ThreadSyncFailure">Why the filter could not reach every thread; null when it did.</param>
public sealed record SeccompInstallResult(bool AllThreads, string? ThreadSyncFailure);
