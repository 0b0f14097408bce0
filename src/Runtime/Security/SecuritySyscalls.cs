using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// The raw system calls this namespace makes. They go straight to the kernel, not through glibc's wrappers: glibc
/// makes <c>setresuid</c>, <c>setresgid</c> and <c>setgroups</c> act on every thread of the process (its "setxid"
/// broadcast), while <c>capset</c> and <c>prctl</c> only ever act on the calling thread. Berth changes one thread
/// consistently, the one that will <c>execve</c> the service; <c>execve</c> then ends the others and the process
/// has that thread's credentials alone.
/// </summary>
internal static class SecuritySyscalls
{
    // linux/prctl.h
    public const int PrSetDumpable = 4;
    public const int PrGetKeepCaps = 7;
    public const int PrSetKeepCaps = 8;
    public const int PrCapBsetRead = 23;
    public const int PrCapBsetDrop = 24;
    public const int PrSetNoNewPrivs = 38;
    public const int PrGetNoNewPrivs = 39;
    public const int PrCapAmbient = 47;
    public const int PrCapAmbientIsSet = 1;
    public const int PrCapAmbientRaise = 2;
    public const int PrCapAmbientClearAll = 4;

    private static readonly SeccompArchitecture s_architecture = SyscallTable.CurrentArchitecture;

    public static readonly int Prctl = Number("prctl");
    public static readonly int Capget = Number("capget");
    public static readonly int Capset = Number("capset");
    public static readonly int Setgroups = Number("setgroups");
    public static readonly int Setresgid = Number("setresgid");
    public static readonly int Setresuid = Number("setresuid");
    public static readonly int Openat2 = Number("openat2");

    /// <summary><c>prctl(option, arg2, arg3, 0, 0)</c>; returns the result, or throws with the errno text.</summary>
    /// <exception cref="PrivilegeException">The call returned -1.</exception>
    public static long CallPrctl(int option, int arg2, int arg3, string description)
    {
        var result = (long)LibC.syscall(Prctl, option, arg2, arg3, 0, 0);
        return result == -1 ? throw new PrivilegeException(description, LibC.errno) : result;
    }

    private static int Number(string name) => SyscallTable.GetNumber(s_architecture, name);
}
