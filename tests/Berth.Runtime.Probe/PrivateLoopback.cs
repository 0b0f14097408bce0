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
    private const int InterfaceRequestSize = 40;

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
            var request = stackalloc byte[InterfaceRequestSize];
            var get = GetFlags(socket, request);
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

    /// <summary>Whether <c>lo</c> is up in the calling thread's network namespace.</summary>
    public static unsafe bool IsUp()
    {
        var socket = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (socket == -1)
            throw new InvalidOperationException($"socket failed with errno {LibC.errno}");

        try
        {
            var request = stackalloc byte[InterfaceRequestSize];
            var get = GetFlags(socket, request);
            return get.Result == -1
                ? throw new InvalidOperationException($"ioctl(SIOCGIFFLAGS) failed with errno {get.Errno}")
                : (*(short*)(request + InterfaceNameSize) & IffUp) != 0;
        }
        finally
        {
            LibC.close(socket);
        }
    }

    /// <summary>Fills <paramref name="request"/> (a struct ifreq: the name, then a union whose first member is the short ifr_flags) for <c>lo</c>.</summary>
    private static unsafe SyscallOutcome GetFlags(int socket, byte* request)
    {
        new Span<byte>(request, InterfaceRequestSize).Clear();
        "lo"u8.CopyTo(new Span<byte>(request, InterfaceNameSize));
        return SyscallOutcome.Of(LibC.ioctl(socket, LibC.SIOCGIFFLAGS, request));
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
