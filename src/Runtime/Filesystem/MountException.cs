using System.Runtime.InteropServices;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// A <c>mount(2)</c>, <c>umount2(2)</c> or <c>pivot_root(2)</c> call failed. The message names every argument and
/// the errno's text, so that the init can hand it to the host as is and a bad spec reads as a clear error.
/// </summary>
public sealed class MountException : Exception
{
    /// <summary>An error with no errno.</summary>
    public MountException()
    {
    }

    /// <summary>An error with no errno.</summary>
    public MountException(string message)
        : base(message)
    {
    }

    /// <summary>An error with no errno, caused by <paramref name="innerException"/>.</summary>
    public MountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><paramref name="call"/> (the call with its arguments) failed with <paramref name="errno"/>.</summary>
    public MountException(string call, int errno)
        : base($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).") => Errno = errno;

    /// <summary>The errno the kernel returned; 0 when there was none.</summary>
    public int Errno { get; }

    internal static MountException ForMount(string? source, string target, string? fileSystemType, MountFlags flags, string? data, int errno) =>
        new($"mount(source: {Quote(source)}, target: {Quote(target)}, type: {Quote(fileSystemType)}, flags: {MountFlagsText.Format(flags)}, data: {Quote(data)})", errno);

    internal static string Quote(string? value) => value is null ? "NULL" : $"\"{value}\"";
}
