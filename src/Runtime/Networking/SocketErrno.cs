using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// A failed <c>socket(2)</c> or <c>ioctl(2)</c> as the <see cref="SocketException"/> .NET's own sockets throw, with
/// the kernel's message. .NET maps errnos to <see cref="SocketError"/> internally only.
/// </summary>
internal static class SocketErrno
{
    public static SocketException ToException(int errno, string call) =>
        new((int)ToSocketError(errno), $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    private static SocketError ToSocketError(int errno) => errno switch
    {
        _ when errno == LibC.EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
        _ when errno == LibC.EPROTONOSUPPORT => SocketError.ProtocolNotSupported,
        _ when errno == LibC.ESOCKTNOSUPPORT => SocketError.SocketNotSupported,
        _ when errno == LibC.EPROTOTYPE => SocketError.ProtocolType,
        _ when errno == LibC.EINVAL => SocketError.InvalidArgument,
        _ when errno == LibC.EMFILE || errno == LibC.ENFILE => SocketError.TooManyOpenSockets,
        _ when errno == LibC.ENOBUFS || errno == LibC.ENOMEM => SocketError.NoBufferSpaceAvailable,
        _ when errno == LibC.EACCES || errno == LibC.EPERM => SocketError.AccessDenied,
        _ => SocketError.SocketError,
    };
}
