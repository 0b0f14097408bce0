using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime;

/// <summary>
/// An open namespace file (<c>/proc/PID/ns/net</c>, <c>.../mnt</c>, ...): what <c>setns(2)</c> takes, and a reference
/// that keeps the namespace alive for as long as it is open, whatever happens to the processes in it.
/// </summary>
internal static class NamespaceFile
{
    /// <summary>Opens <paramref name="path"/> close-on-exec (the host starts other containers' inits, and must not pass it on).</summary>
    public static unsafe SafeFileHandle Open(string path)
    {
        var bytes = NativeStrings.Utf8(path)!;
        int descriptor;
        fixed (byte* p = bytes)
        {
            descriptor = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        }

        return descriptor >= 0
            ? new SafeFileHandle(descriptor, ownsHandle: true)
            : throw new IOException($"open({path}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}
