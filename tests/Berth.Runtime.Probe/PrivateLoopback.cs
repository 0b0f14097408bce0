using System.Buffers.Binary;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// Moves the calling thread into a new network namespace whose loopback interface is up, so that binding
/// <c>127.0.0.1:80</c> depends on nothing outside the probe: no other program can hold the port, and
/// <c>ip_unprivileged_port_start</c> is the namespace's own default, 1024.
/// </summary>
internal static class PrivateLoopback
{
    // linux/if.h
    private const short IffUp = 0x1;
    private const int InterfaceNameSize = 16;

    /// <summary>Unshares the network namespace and brings <c>lo</c> up; returns the first failing call's outcome.</summary>
    public static unsafe SyscallOutcome Enter()
    {
        var unshare = SyscallOutcome.Of(LibC.unshare(LibC.CLONE_NEWNET));
        if (unshare.Result == -1)
            return unshare;

        var socket = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (socket == -1)
            return SyscallOutcome.Of(socket);

        try
        {
            // struct ifreq: the interface name, then a union whose first member is the short ifr_flags.
            var request = stackalloc byte[40];
            new Span<byte>(request, 40).Clear();
            "lo"u8.CopyTo(new Span<byte>(request, InterfaceNameSize));
            var get = SyscallOutcome.Of(LibC.ioctl(socket, LibC.SIOCGIFFLAGS, request));
            if (get.Result == -1)
                return get;

            var flags = (short*)(request + InterfaceNameSize);
            *flags |= IffUp;
            return SyscallOutcome.Of(LibC.ioctl(socket, LibC.SIOCSIFFLAGS, request));
        }
        finally
        {
            LibC.close(socket);
        }
    }

    /// <summary>Binds a TCP socket to <c>127.0.0.1:<paramref name="port"/></c> and closes it.</summary>
    public static unsafe SyscallOutcome TryBind(ushort port)
    {
        var socket = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (socket == -1)
            return SyscallOutcome.Of(socket);

        try
        {
            var address = new sockaddr_in { sin_family = LibC.AF_INET, sin_port = BinaryPrimitives.ReverseEndianness(port) };
            var ip = (byte*)&address.sin_addr;
            ip[0] = 127;
            ip[3] = 1;
            return SyscallOutcome.Of(LibC.bind(socket, (sockaddr*)&address, (uint)sizeof(sockaddr_in)));
        }
        finally
        {
            LibC.close(socket);
        }
    }
}
