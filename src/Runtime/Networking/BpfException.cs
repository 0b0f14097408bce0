using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// The kernel refused a <c>bpf(2)</c> call. The message names the call, the errno and what it most likely means
/// here, and for a program the verifier refused, the verifier's own account of why.
/// </summary>
public sealed class BpfException : IOException
{
    public BpfException()
    {
    }

    public BpfException(string message)
        : base(message)
    {
    }

    public BpfException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><paramref name="call"/> failed with <paramref name="errno"/>.</summary>
    public BpfException(string call, int errno, string? verifierLog = null)
        : base(Describe(call, errno, verifierLog))
    {
        Errno = errno;
        VerifierLog = verifierLog;
    }

    /// <summary>The errno the kernel returned; 0 when there was none.</summary>
    public int Errno { get; }

    /// <summary>What the verifier said about a program it refused, when there was one.</summary>
    public string? VerifierLog { get; }

    private static string Describe(string call, int errno, string? verifierLog)
    {
        // With a log, the verifier ran and refused the program (EACCES or EINVAL then say nothing of privilege).
        var meaning = string.IsNullOrWhiteSpace(verifierLog) ? Meaning(call, errno) : "the verifier refused the program";
        var message = $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}): {meaning}";
        return string.IsNullOrWhiteSpace(verifierLog) ? message : $"{message}\nVerifier log:\n{verifierLog.TrimEnd()}";
    }

    private static string Meaning(string call, int errno) => errno switch
    {
        _ when errno == LibC.EPERM || errno == LibC.EACCES =>
            "loading and attaching sk_lookup programs needs CAP_BPF and CAP_NET_ADMIN (or CAP_SYS_ADMIN) in the host's user namespace; the host runs without them, or a security module denies bpf(2)",
        _ when errno == LibC.ENOSYS =>
            "this kernel has no bpf(2) (CONFIG_BPF_SYSCALL is off), so connections cannot be steered",
        _ when errno == LibC.EINVAL && call.StartsWith("BPF_MAP_CREATE", StringComparison.Ordinal) =>
            "the kernel does not know SOCKHASH maps (Linux 4.18 or later with CONFIG_BPF_STREAM_PARSER/CONFIG_NET_SOCK_MSG is needed)",
        _ when errno == LibC.EINVAL && call.StartsWith("BPF_PROG_LOAD", StringComparison.Ordinal) =>
            "the kernel does not know sk_lookup programs (Linux 5.9 or later is needed)",
        _ when errno == LibC.EINVAL && call.StartsWith("BPF_LINK_CREATE", StringComparison.Ordinal) =>
            "the kernel cannot attach sk_lookup programs to a network namespace (Linux 5.9 or later is needed)",
        _ when errno == LibC.EEXIST =>
            "another listener is already steered to that address and port",
        _ when errno == LibC.E2BIG =>
            "the namespace's steering map is full",
        _ when errno == LibC.EOPNOTSUPP =>
            "the socket cannot be steered to: only TCP sockets that listen can",
        _ when errno == LibC.ENOMEM =>
            "out of kernel memory for BPF objects (or the locked-memory limit, on kernels before 5.11)",
        _ when errno == LibC.ENOSPC =>
            "the verifier's log did not fit its buffer",
        _ when errno == LibC.EBADF =>
            "a descriptor passed to the kernel was not open",
        _ => "the kernel refused the call",
    };
}
