using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// Open descriptors handed from the host to the init over their Unix socket (<c>SCM_RIGHTS</c>, with one byte of
/// data to carry them), as an exec'd process's standard streams are. Passed rather than inherited: a descriptor the
/// init inherited would be inherited as well by every other process the host starts meanwhile, and a pipe's write end
/// held by some unrelated child never reports end-of-file.
/// </summary>
internal static unsafe class DescriptorPassing
{
    /// <summary>More than the exec handshake needs, and a bound on what a receiver accepts.</summary>
    public const int MaxDescriptors = 8;

    /// <summary>Sends <paramref name="descriptors"/> (the same one may appear more than once); the caller keeps its own.</summary>
    /// <exception cref="SocketException">The socket is closed, or the kernel refused the message.</exception>
    public static void Send(Socket socket, ReadOnlySpan<int> descriptors)
    {
        if (descriptors.Length is 0 or > MaxDescriptors)
        {
            throw new ArgumentOutOfRangeException(nameof(descriptors), descriptors.Length, $"Between 1 and {MaxDescriptors} descriptors are passed at once.");
        }

        var control = stackalloc byte[LibC.CMSG_SPACE(sizeof(int) * MaxDescriptors)];
        var controlLength = LibC.CMSG_SPACE(sizeof(int) * descriptors.Length);
        new Span<byte>(control, controlLength).Clear();
        byte data = 0;
        var vector = new iovec { iov_base = &data, iov_len = 1 };
        var message = new msghdr { msg_iov = &vector, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
        var header = LibC.CMSG_FIRSTHDR(&message);
        header->cmsg_level = LibC.SOL_SOCKET;
        header->cmsg_type = LibC.SCM_RIGHTS;
        // The header and exactly the descriptors, as glibc's CMSG_LEN says. Tmds.LibC's CMSG_LEN rounds the whole up
        // to the alignment, which for an odd count would make the kernel pass one descriptor more (the zeroed slot: 0).
        header->cmsg_len = LibC.CMSG_LEN(0) + (sizeof(int) * descriptors.Length);
        descriptors.CopyTo(new Span<int>(LibC.CMSG_DATA(header), descriptors.Length));

        var fd = (int)socket.Handle;
        while (true)
        {
            long sent = LibC.sendmsg(fd, &message, LibC.MSG_NOSIGNAL);
            if (sent == 1)
            {
                return;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (sent == -1 && errno == LibC.EAGAIN)
            {
                // The host's sockets are non-blocking; one byte waits for room only if the init reads nothing.
                WaitFor(fd, LibC.POLLOUT);
                continue;
            }

            if (sent == -1 && errno == LibC.EINTR)
            {
                continue;
            }

            throw new SocketException(errno);
        }
    }

    /// <summary>
    /// Receives exactly <paramref name="count"/> descriptors, close-on-exec, or null when the other side closed the
    /// socket first.
    /// </summary>
    /// <exception cref="InvalidDataException">The message carried no descriptors, or another number of them.</exception>
    public static int[]? Receive(Socket socket, int count)
    {
        if (count is <= 0 or > MaxDescriptors)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {MaxDescriptors} descriptors are passed at once.");
        }

        var controlLength = LibC.CMSG_SPACE(sizeof(int) * MaxDescriptors);
        var control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        byte data = 0;
        var vector = new iovec { iov_base = &data, iov_len = 1 };
        var message = new msghdr { msg_iov = &vector, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
        var fd = (int)socket.Handle;
        long received;
        while ((received = LibC.recvmsg(fd, &message, LibC.MSG_CMSG_CLOEXEC)) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EAGAIN)
            {
                WaitFor(fd, LibC.POLLIN);
            }
            else if (errno != LibC.EINTR)
            {
                throw new SocketException(errno);
            }
        }

        if (received == 0)
        {
            return null;
        }

        var descriptors = new List<int>();
        for (var header = LibC.CMSG_FIRSTHDR(&message); header != null; header = LibC.CMSG_NXTHDR(&message, header))
        {
            if (header->cmsg_level == LibC.SOL_SOCKET && header->cmsg_type == LibC.SCM_RIGHTS)
            {
                var n = ((int)(uint)header->cmsg_len - LibC.CMSG_LEN(0)) / sizeof(int);
                descriptors.AddRange(new ReadOnlySpan<int>(LibC.CMSG_DATA(header), n));
            }
        }

        if ((message.msg_flags & LibC.MSG_CTRUNC) != 0 || descriptors.Count != count)
        {
            foreach (var descriptor in descriptors)
            {
                LibC.close(descriptor);
            }

            throw new InvalidDataException($"Expected {count} descriptors from the host, got {descriptors.Count}{((message.msg_flags & LibC.MSG_CTRUNC) != 0 ? " and a truncated message" : string.Empty)}.");
        }

        return [.. descriptors];
    }

    private static void WaitFor(int fd, short events)
    {
        var poll = new pollfd { fd = fd, events = events };
        _ = LibC.poll(&poll, 1, -1);
    }
}
