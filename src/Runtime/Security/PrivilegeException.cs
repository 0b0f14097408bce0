using System.Runtime.InteropServices;

namespace Berth.Runtime.Security;

/// <summary>
/// Dropping capabilities, switching user or setting no_new_privs failed, or was refused before anything changed
/// because it could not have succeeded; <see cref="Errno"/> says why when a system call failed.
/// </summary>
public sealed class PrivilegeException : Exception
{
    /// <summary>An error with no errno.</summary>
    public PrivilegeException()
    {
    }

    /// <summary>An error with no errno.</summary>
    public PrivilegeException(string message)
        : base(message)
    {
    }

    /// <summary>An error with no errno, caused by <paramref name="innerException"/>.</summary>
    public PrivilegeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><paramref name="operation"/> failed with <paramref name="errno"/>; the message carries its text.</summary>
    public PrivilegeException(string operation, int errno)
        : base($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).") => Errno = errno;

    /// <summary>The errno the kernel returned; 0 when there was none.</summary>
    public int Errno { get; }
}
