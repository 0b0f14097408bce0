using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// An open network namespace file (<c>/proc/PID/ns/net</c>): what <c>setns(2)</c> takes, and a reference that keeps
/// the namespace alive for as long as it is open, whatever happens to the processes in it.
/// </summary>
internal static class NetworkNamespaceFile
{
    /// <summary>Opens <paramref name="path"/> close-on-exec (the host starts other containers' inits).</summary>
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
