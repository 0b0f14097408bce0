using System.Collections.Immutable;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// A <see cref="SeccompProfile"/> compiled for one architecture into the classic BPF program the kernel runs on
/// every system call (<c>SECCOMP_SET_MODE_FILTER</c>). Install it with <see cref="SeccompInstaller.Install"/>.
/// </summary>
public sealed class SeccompFilter
{
    /// <summary>The most instructions the kernel accepts in one filter (<c>BPF_MAXINSNS</c>).</summary>
    public const int MaxInstructions = 4096;

    internal SeccompFilter(
        SeccompArchitecture architecture,
        ImmutableArray<BpfInstruction> instructions,
        ImmutableSortedSet<string> allowedSyscalls,
        ImmutableSortedSet<string> conditionalSyscalls,
        ImmutableSortedSet<string> skippedSyscalls)
    {
        Architecture = architecture;
        Instructions = instructions;
        AllowedSyscalls = allowedSyscalls;
        ConditionalSyscalls = conditionalSyscalls;
        SkippedSyscalls = skippedSyscalls;
    }

    /// <summary>The architecture the filter is for; on any other, it kills the process.</summary>
    public SeccompArchitecture Architecture { get; }

    /// <summary>The program, as <c>struct sock_filter</c> entries.</summary>
    public ImmutableArray<BpfInstruction> Instructions { get; }

    /// <summary>Calls this architecture has that the filter allows whatever their arguments.</summary>
    public ImmutableSortedSet<string> AllowedSyscalls { get; }

    /// <summary>Calls this architecture has that the filter decides by rules (argument checks, or an errno).</summary>
    public ImmutableSortedSet<string> ConditionalSyscalls { get; }

    /// <summary>Names in the profile this architecture does not have, left out of the filter.</summary>
    public ImmutableSortedSet<string> SkippedSyscalls { get; }

    /// <summary>Compiles <paramref name="profile"/> for <paramref name="architecture"/>.</summary>
    /// <exception cref="InvalidOperationException">The program would exceed <see cref="MaxInstructions"/>.</exception>
    public static SeccompFilter Compile(SeccompProfile profile, SeccompArchitecture architecture) =>
        SeccompFilterCompiler.Compile(profile, architecture);

    /// <summary>Compiles <paramref name="profile"/> for the architecture this process runs on.</summary>
    public static SeccompFilter Compile(SeccompProfile profile) => Compile(profile, SyscallTable.CurrentArchitecture);
}
