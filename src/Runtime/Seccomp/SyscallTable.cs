using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// System call names to numbers for each <see cref="SeccompArchitecture"/>. The numbers come from the kernel's UAPI
/// headers (see <c>SyscallTable.g.cs</c>); a name an architecture does not have (for example <c>open</c> on
/// aarch64, whose generic table only has <c>openat</c>) is simply absent.
/// </summary>
public static partial class SyscallTable
{
    /// <summary>The architecture this process runs on.</summary>
    /// <exception cref="PlatformNotSupportedException">On a CPU Berth has no system call table for.</exception>
    public static SeccompArchitecture CurrentArchitecture => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SeccompArchitecture.X86_64,
        Architecture.Arm64 => SeccompArchitecture.Aarch64,
        var other => throw new PlatformNotSupportedException($"Berth has no system call table for {other}."),
    };

    /// <summary>Every system call the architecture has, by name.</summary>
    public static FrozenDictionary<string, int> ForArchitecture(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 => s_x86_64,
        SeccompArchitecture.Aarch64 => s_aarch64,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown architecture."),
    };

    /// <summary>The number of <paramref name="name"/> on <paramref name="architecture"/>, if it has that call.</summary>
    public static bool TryGetNumber(SeccompArchitecture architecture, string name, out int number) =>
        ForArchitecture(architecture).TryGetValue(name, out number);

    /// <summary>The number of <paramref name="name"/> on <paramref name="architecture"/>.</summary>
    /// <exception cref="ArgumentException">The architecture has no such system call.</exception>
    public static int GetNumber(SeccompArchitecture architecture, string name) =>
        TryGetNumber(architecture, name, out var number)
            ? number
            : throw new ArgumentException($"{architecture} has no system call named '{name}'.", nameof(name));
}
