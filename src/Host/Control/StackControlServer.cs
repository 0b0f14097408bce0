using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Host.Orchestration;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Berth.Host.Control;

/// <summary>
/// Makes the stack this process runs reachable from other processes: it owns the stack's directory in the state
/// directory (<see cref="StackDirectory"/>) for as long as it runs, and answers <c>ps</c>, <c>logs</c>, <c>down</c>
/// and <c>exec</c> on its control socket. It claims the stack before any hosted service starts, so a second run of the
/// same stack fails before it touches anything, and lets it go after every hosted service has stopped.
/// </summary>
internal sealed partial class StackControlServer : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>How long the end of the stack waits for clients to take their last answer before it closes them.</summary>
    private static readonly TimeSpan s_goodbyeTimeout = TimeSpan.FromSeconds(5);

    private readonly StackOrchestrator _orchestrator;
    private readonly ReplicaLogs _logs;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly StackOrchestratorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private StackOwnership? _ownership;
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private StackRecord? _record;
    private Task? _shutDown;

    public StackControlServer(
        StackOrchestrator orchestrator,
        ReplicaLogs logs,
        IHostApplicationLifetime lifetime,
        IOptions<StackOrchestratorOptions> options,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null)
    {
        _orchestrator = orchestrator;
        _logs = logs;
        _lifetime = lifetime;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("Berth.Control");
    }

    /// <summary>An earlier run of the stack ended without cleaning up (SIGKILL, a crash); its record was removed. Null: unreadable.</summary>
    public event EventHandler<StackRecord?>? AbandonedRecordRemoved;

    /// <summary><c>down</c> asked the stack to stop; the argument is the PID of the process that asked, when known.</summary>
    public event EventHandler<int?>? DownRequested;

    private StackDefinition Stack => _orchestrator.Stack;

    /// <summary>Claims the stack and opens the control socket, before any hosted service starts.</summary>
    /// <exception cref="StackAlreadyRunningException">Another process runs the stack.</exception>
    /// <exception cref="StackStartException">The state directory cannot be used.</exception>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Berth stacks run on Linux only.");
        }

        StackDirectory directory;
        StackOwnership ownership;
        try
        {
            directory = StackDirectory.For(_options.StateDirectory, Stack.Name);
            ownership = StackOwnership.Claim(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StackStartException(Stack.Name, $"its state directory cannot be used ({e.Message}); run as root, or set Berth__StateDirectory to a directory of yours", e);
        }

        try
        {
            if (ownership.FoundAbandoned)
            {
                AbandonedRecordRemoved?.Invoke(this, ownership.Abandoned);
            }

            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(directory.SocketPath));
            File.SetUnixFileMode(directory.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
            _listener = listener;
            _record = new StackRecord(Environment.ProcessId, Stack.Environment, _time.GetUtcNow());
            _record.WriteTo(directory.RecordPath);
            _ownership = ownership;
        }
        catch
        {
            _listener?.Dispose();
            ownership.Dispose();
            throw;
        }

        _accepting = Task.Run(AcceptAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The stack is up: the record gets the gateway's address.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_record is { } record && _ownership is { } ownership && _orchestrator.Network is { } network)
        {
            _record = record with { Gateway = network.GatewayAddress.ToString() };
            _record.WriteTo(ownership.Directory.RecordPath);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every hosted service has stopped: clients get their last answer, and the stack's directory goes.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) => ShutDownAsync();

    /// <summary>Also when the host never started or never stopped (a failed start): the directory goes all the same.</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutDownAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private Task ShutDownAsync()
    {
        lock (_lock)
        {
            return _shutDown ??= ShutDownOnceAsync();
        }
    }

    private async Task ShutDownOnceAsync()
    {
        await Task.Yield();
        _logs.Complete();
        _stopped.TrySetResult();
        _listener?.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        // Followers and down get their end; one that does not read it is cut off.
        await Task.WhenAll(connections).WaitAsync(s_goodbyeTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _ownership?.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                var serving = Task.Run(() => ServeAsync(client), CancellationToken.None);
                _connections.Add(serving);
                _ = serving.ContinueWith(
                    done =>
                    {
                        lock (_lock)
                        {
                            _connections.Remove(done);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var connection = new ControlConnection(client);
        await using (connection.ConfigureAwait(false))
        {
            var cancellationToken = _shutdown.Token;
            try
            {
                var request = await connection.ReceiveAsync(ControlJsonContext.Default.ControlRequest, cancellationToken).ConfigureAwait(false);
                switch (request?.Verb)
                {
                    case null:
                        return;
                    case ControlVerbs.Ps:
                        await connection.SendAsync(new ControlMessage { Status = GetStatus() }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
                        break;
                    case ControlVerbs.Logs:
                        await SendLogsAsync(connection, request, cancellationToken).ConfigureAwait(false);
                        break;
                    case ControlVerbs.Down:
                        await DownAsync(connection, cancellationToken).ConfigureAwait(false);
                        break;
                    case ControlVerbs.Exec:
                        await ExecAsync(connection, request, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await SendErrorAsync(connection, $"Unknown request '{request.Verb}'; this stack answers {ControlVerbs.Ps}, {ControlVerbs.Logs}, {ControlVerbs.Down} and {ControlVerbs.Exec}.", cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (JsonException e)
            {
                await SendErrorAsync(connection, $"Not a request: {e.Message}", cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the stack ended while it was served.
            }
#pragma warning disable CA1031 // One client's bad luck must not take the stack down; it is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogServeFailed(_logger, e);
            }
        }
    }

    private StackStatusDocument GetStatus()
    {
        var record = _record!;
        var now = _time.GetUtcNow();
        return new StackStatusDocument(
            Stack.Name,
            record.Environment,
            record.Pid,
            record.StartedAt,
            _orchestrator.Network?.GatewayAddress.ToString(),
            [.. _orchestrator.GetReplicas().Select(r => ReplicaStatusDocument.From(r, now))]);
    }

    private async Task SendLogsAsync(ControlConnection connection, ControlRequest request, CancellationToken cancellationToken)
    {
        if (request.Service is { } service && !Stack.Services.Any(s => s.Name == service))
        {
            await SendErrorAsync(connection, $"Stack '{Stack.Name}' has no service '{service}'. Services: {string.Join(", ", Stack.Services.Select(s => s.Name))}.", cancellationToken).ConfigureAwait(false);
            return;
        }

        using var reading = _logs.Read(request.Service, request.Tail, request.Follow);
        foreach (var line in reading.Kept)
        {
            await connection.SendAsync(new ControlMessage { Line = line }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
        }

        if (reading.Following is { } following)
        {
            // The client says nothing more; its closing the connection ends the following.
            using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watching = connection.WaitForCloseAsync(clientGone.Token).ContinueWith(_ => clientGone.Cancel(), TaskScheduler.Default);
            try
            {
                await foreach (var line in following.ReadAllAsync(clientGone.Token).ConfigureAwait(false))
                {
                    await connection.SendAsync(new ControlMessage { Line = line }, ControlJsonContext.Default.ControlMessage, clientGone.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                await clientGone.CancelAsync().ConfigureAwait(false);
                await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await connection.SendAsync(ControlMessage.Ended, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the stack as Ctrl+C does, and tells the client how its replicas stop until it has.</summary>
    private async Task DownAsync(ControlConnection connection, CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<ReplicaEvent>(new UnboundedChannelOptions { SingleReader = true });
        void Forward(object? sender, ReplicaEvent e) => events.Writer.TryWrite(e);
        _orchestrator.ReplicaChanged += Forward;
        try
        {
            await connection.SendAsync(new ControlMessage { Down = new DownDocument(Environment.ProcessId, _record!.Environment) }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
            DownRequested?.Invoke(this, PeerCredentials.ProcessId(connection.Socket));
            _lifetime.StopApplication();
            _ = _stopped.Task.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);
            await foreach (var e in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await connection.SendAsync(new ControlMessage { Event = ReplicaEventDocument.From(e) }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
            }

            await connection.SendAsync(ControlMessage.Ended, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _orchestrator.ReplicaChanged -= Forward;
        }
    }

    /// <summary>
    /// Runs a program in a replica's container with the client's own standard streams (passed over the socket), passes
    /// on the signals the client sends, and answers with how it ended. A client that goes away takes it along (SIGKILL).
    /// </summary>
    private async Task ExecAsync(ControlConnection connection, ControlRequest request, CancellationToken cancellationToken)
    {
        if (request is not { Service: { } service, Command: [var executable, ..] command })
        {
            await SendErrorAsync(connection, "exec needs a service and a command.", cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.SendAsync(new ControlMessage { Ready = true }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
        if (await connection.ReceiveDescriptorsAsync(3, cancellationToken).ConfigureAwait(false) is not [var input, var output, var error])
        {
            return;
        }

        var index = request.Replica ?? 1;
        ExecProcess process;
        using (var standardInput = new SafeFileHandle(input, ownsHandle: true))
        using (var standardOutput = new SafeFileHandle(output, ownsHandle: true))
        using (var standardError = new SafeFileHandle(error, ownsHandle: true))
        {
            try
            {
                // The process gets copies of the streams; these go when it runs.
                process = await _orchestrator.ExecAsync(
                    service,
                    index,
                    new ExecSpec(executable, [.. command.Skip(1)])
                    {
                        WorkingDirectory = request.WorkingDirectory,
                        StandardInput = standardInput,
                        StandardOutput = standardOutput,
                        StandardError = standardError,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ContainerExecException)
            {
                await SendErrorAsync(connection, e.Message, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await using (process.ConfigureAwait(false))
        {
            await connection.SendAsync(new ControlMessage { Exec = new ExecStartedDocument(process.Pid, ReplicaNames.Of(service, index)) }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var relaying = RelaySignalsAsync(connection, process, ended.Token);
            if (await Task.WhenAny(process.Exited, relaying).ConfigureAwait(false) != process.Exited)
            {
                // The client went away (or the stack ends): the process goes with it.
                return;
            }

            await ended.CancelAsync().ConfigureAwait(false);
            await relaying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await connection.SendAsync(new ControlMessage { Exited = ExitDocument.From(await process.Exited.ConfigureAwait(false)) }, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
            await connection.SendAsync(ControlMessage.Ended, ControlJsonContext.Default.ControlMessage, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Passes on each signal the client sends; completes when the client closes the connection.</summary>
    private static async Task RelaySignalsAsync(ControlConnection connection, ExecProcess process, CancellationToken cancellationToken)
    {
        while (await connection.ReceiveAsync(ControlJsonContext.Default.ControlRequest, cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (message is { Verb: ControlVerbs.Signal, Signal: >= 1 and <= 64 and var signal })
            {
                process.Signal(signal);
            }
        }
    }

    private static Task SendErrorAsync(ControlConnection connection, string message, CancellationToken cancellationToken) =>
        connection.SendAsync(new ControlMessage { Error = message }, ControlJsonContext.Default.ControlMessage, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "A control request failed")]
    private static partial void LogServeFailed(ILogger logger, Exception exception);
}
