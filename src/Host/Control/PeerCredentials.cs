using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Host.Control;

/// <summary>Who is at the other end of a Unix socket, as the kernel says (<c>SO_PEERCRED</c>).</summary>
internal static class PeerCredentials
{
    /// <summary>The peer's PID when it connected; null when the kernel does not say.</summary>
    public static int? ProcessId(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(LibC.SOL_SOCKET, LibC.SO_PEERCRED, credentials) == credentials.Length
                ? MemoryMarshal.Read<int>(credentials) is > 0 and var pid ? pid : null
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
