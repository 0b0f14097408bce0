using System.Runtime.InteropServices;

namespace Berth.Runtime.Seccomp;

/// <summary>A system call that installs a seccomp filter failed; <see cref="Errno"/> says why.</summary>
public sealed class SeccompException : Exception
{
    /// <summary>An error with no errno.</summary>
    public SeccompException()
    {
    }

    /// <summary>An error with no errno.</summary>
    public SeccompException(string message)
        : base(message)
    {
    }

    /// <summary>An error with no errno, caused by <paramref name="innerException"/>.</summary>
    public SeccompException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><paramref name="operation"/> failed with <paramref name="errno"/>; the message carries its text.</summary>
    public SeccompException(string operation, int errno)
        : base($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).") => Errno = errno;

    /// <summary>The errno the kernel returned; 0 when there was none.</summary>
    public int Errno { get; }
}
