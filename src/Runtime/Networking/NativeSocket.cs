using System.Net.Sockets;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// <c>socket(2)</c> split in two: the bare system call, which is all that has to run inside the container's network
/// namespace (<see cref="NamespaceSocketThread"/>), and the managed <see cref="Socket"/> around the descriptor, made
/// afterwards on the caller's own thread.
/// </summary>
internal static class NativeSocket
{
    /// <summary>The kernel's numbers for a .NET socket triple; families and types the runtime has no use for are refused.</summary>
    public static (int Domain, int Type, int Protocol) ToNative(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
    {
        var domain = addressFamily switch
        {
            AddressFamily.InterNetwork => LibC.AF_INET,
            AddressFamily.InterNetworkV6 => LibC.AF_INET6,
            AddressFamily.Unix => LibC.AF_UNIX,
            _ => throw new ArgumentOutOfRangeException(nameof(addressFamily), addressFamily, "Only IPv4, IPv6 and Unix sockets can be created in a container's network."),
        };
        var type = socketType switch
        {
            SocketType.Stream => LibC.SOCK_STREAM,
            SocketType.Dgram => LibC.SOCK_DGRAM,
            SocketType.Seqpacket => LibC.SOCK_SEQPACKET,
            _ => throw new ArgumentOutOfRangeException(nameof(socketType), socketType, "Only stream, datagram and seqpacket sockets can be created in a container's network."),
        };

        // .NET's protocol numbers are the IANA ones the kernel takes (Tcp = 6, Udp = 17, Unspecified = 0).
        return (int)protocolType is >= 0 and <= 255
            ? (domain, type, (int)protocolType)
            : throw new ArgumentOutOfRangeException(nameof(protocolType), protocolType, "Not a protocol number.");
    }

    /// <summary>Wraps a new descriptor, or throws for minus an errno.</summary>
    public static Socket Wrap(int result)
    {
        if (result < 0)
        {
            throw SocketErrno.ToException(-result, "socket");
        }

        var handle = new SafeSocketHandle(result, ownsHandle: true);
        try
        {
            return new Socket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
