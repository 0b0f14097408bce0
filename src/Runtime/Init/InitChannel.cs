using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Runtime.Init;

/// <summary>
/// Length-prefixed JSON messages over the Unix socket between the host and a container's init. A path socket
/// (not an abstract one) is used because the init lives in another network namespace, which abstract sockets
/// do not cross; no file descriptor is inherited, so no other child of the host can hold the channel open.
/// </summary>
internal static class InitChannel
{
    private const int MaxMessageBytes = 16 << 20;

    public static async Task SendAsync<T>(Socket socket, T message, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, type);
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        await socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }

    public static void Send<T>(Socket socket, T message, JsonTypeInfo<T> type)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, type);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, payload.Length);
        socket.Send(length);
        socket.Send(payload);
    }

    /// <summary>Reads one message, or null when the other side closed the socket before sending one.</summary>
    public static async Task<T?> ReceiveAsync<T>(Socket socket, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var length = new byte[4];
        if (!await ReadExactlyAsync(socket, length, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(length);
        if (size is < 0 or > MaxMessageBytes)
        {
            throw new InvalidDataException($"Init message of {size} bytes is out of range.");
        }

        var payload = new byte[size];
        if (!await ReadExactlyAsync(socket, payload, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidDataException("Init message ended early.");
        }

        return JsonSerializer.Deserialize(payload, type);
    }

    public static T? Receive<T>(Socket socket, JsonTypeInfo<T> type)
        where T : class => ReceiveAsync(socket, type, CancellationToken.None).GetAwaiter().GetResult();

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
