namespace Berth.Runtime.Seccomp;

/// <summary>
/// A CPU architecture a seccomp filter is compiled for. Each value is the kernel's <c>AUDIT_ARCH_*</c> constant
/// (<c>linux/audit.h</c>), which is what the kernel puts in <c>seccomp_data.arch</c> for every system call.
/// </summary>
public enum SeccompArchitecture : uint
{
    /// <summary>x86_64: <c>AUDIT_ARCH_X86_64</c> = <c>EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE</c>.</summary>
    X86_64 = 0xC000003E,

    /// <summary>aarch64: <c>AUDIT_ARCH_AARCH64</c> = <c>EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE</c>.</summary>
    Aarch64 = 0xC00000B7,
}
