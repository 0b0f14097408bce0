using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Berth.Host.Control;

/// <summary>A connection to the process that runs a stack, through its control socket: one request, then its answers.</summary>
internal sealed class StackControlClient : IAsyncDisposable
{
    private readonly ControlConnection _connection;

    private StackControlClient(ControlConnection connection) => _connection = connection;

    /// <summary>Connects to the stack's control socket.</summary>
    /// <exception cref="StackNotRunningException">No process runs the stack; the message says what was found instead.</exception>
    public static async Task<StackControlClient> ConnectAsync(StackDirectory directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(directory.SocketPath))
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(directory.SocketPath), cancellationToken).ConfigureAwait(false);
                return new StackControlClient(new ControlConnection(socket));
            }
            catch (SocketException)
            {
                // Nobody listens: the process that made the socket is gone, or just closing it.
                socket.Dispose();
            }
        }

        throw NotRunning(directory);
    }

    /// <summary>Why nobody answers at the stack's socket, in words for the user.</summary>
    public static StackNotRunningException NotRunning(StackDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var record = StackRecord.ReadFrom(directory.RecordPath);
        return record is null
            ? new StackNotRunningException($"Stack '{directory.Stack}' is not running (nothing at {directory.Path}); start it with `up`.", abandoned: false)
            : new StackNotRunningException($"Stack '{directory.Stack}' is not running: the process that ran it ({record.Describe()}) ended without stopping it. `down` removes what it left behind; so does the next `up`.", abandoned: true);
    }

    public Task SendAsync(ControlRequest request, CancellationToken cancellationToken) =>
        _connection.SendAsync(request, ControlJsonContext.Default.ControlRequest, cancellationToken);

    /// <summary>Passes open descriptors of this process (for <c>exec</c>: its standard streams) to the stack's process.</summary>
    public Task SendDescriptorsAsync(int[] descriptors, CancellationToken cancellationToken) =>
        _connection.SendDescriptorsAsync(descriptors, cancellationToken);

    /// <summary>The answers, until an <see cref="ControlMessage.End"/> or the server closes the connection.</summary>
    /// <exception cref="ControlRequestException">The server could not serve the request (its message says why).</exception>
    public async IAsyncEnumerable<ControlMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _connection.ReceiveAsync(ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (message.Error is { } error)
            {
                throw new ControlRequestException(error);
            }

            if (message.End)
            {
                yield break;
            }

            yield return message;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
