using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Host.Control;

/// <summary>One connection to a stack's control socket, either end: JSON values, one per line, UTF-8.</summary>
internal sealed class ControlConnection : IAsyncDisposable
{
    private static readonly byte[] s_newLine = "\n"u8.ToArray();

    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _writing = new(1, 1);

    public ControlConnection(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
    }

    public Socket Socket { get; }

    /// <summary>Sends one value as one line; safe to call from several tasks.</summary>
    public async Task SendAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.WriteAsync(s_newLine, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>The next value; null when the other end has closed the connection.</summary>
    /// <exception cref="JsonException">The line is not such a value.</exception>
    public async Task<T?> ReceiveAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return line is null ? null : JsonSerializer.Deserialize(line, typeInfo) ?? throw new JsonException("A line holds null.");
    }

    /// <summary>Passes open descriptors of this process to the other end (<c>SCM_RIGHTS</c>); it gets copies.</summary>
    public async Task SendDescriptorsAsync(int[] descriptors, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            Berth.Runtime.Init.DescriptorPassing.Send(Socket, descriptors);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Receives <paramref name="count"/> descriptors the other end passes (close-on-exec), or null when it closed the
    /// connection first. Call only when nothing else is on the way: no line may be read past.
    /// </summary>
    public async Task<int[]?> ReceiveDescriptorsAsync(int count, CancellationToken cancellationToken)
    {
        // Wait for them without a blocked thread (a zero-byte read completes when data is there), then take them.
        await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        return Berth.Runtime.Init.DescriptorPassing.Receive(Socket, count);
    }

    /// <summary>Completes when the other end closes the connection (what it sends meanwhile is ignored).</summary>
    public async Task WaitForCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the other end: closed too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writing.Dispose();
    }
}
