using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// Brings <c>lo</c> up. A new network namespace has it down, so even <c>127.0.0.1</c> is unreachable. Interface
/// ioctls act on the namespace of the socket they are made on, not of the calling thread, so the host does this
/// from its own thread on a socket created inside the container, with its own CAP_NET_ADMIN: the container needs
/// no privilege and the init no step for it.
/// </summary>
internal static class LoopbackInterface
{
    // linux/if.h: IFNAMSIZ, IFF_UP; struct ifreq is the name followed by a union whose first member is the short
    // ifr_flags, 40 bytes in all on 64-bit Linux.
    private const int InterfaceNameSize = 16;
    private const short IffUp = 0x1;
    private const int InterfaceRequestSize = 40;

    /// <summary>Sets IFF_UP on <c>lo</c> in <paramref name="socket"/>'s network namespace.</summary>
    public static unsafe void BringUp(Socket socket)
    {
        var request = stackalloc byte[InterfaceRequestSize];
        new Span<byte>(request, InterfaceRequestSize).Clear();
        "lo"u8.CopyTo(new Span<byte>(request, InterfaceNameSize));
        var descriptor = (int)socket.Handle;
        Check(LibC.ioctl(descriptor, LibC.SIOCGIFFLAGS, request), "ioctl(SIOCGIFFLAGS, lo)");
        *(short*)(request + InterfaceNameSize) |= IffUp;
        Check(LibC.ioctl(descriptor, LibC.SIOCSIFFLAGS, request), "ioctl(SIOCSIFFLAGS, lo)");
    }

    private static void Check(int result, string call)
    {
        if (result == -1)
        {
            throw SocketErrno.ToException(Marshal.GetLastPInvokeError(), call);
        }
    }
}
