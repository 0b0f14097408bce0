using System.Diagnostics;
using System.Reflection;
using Berth.Host.Configuration;
using Berth.Host.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Host.Testing;

/// <summary>
/// A stack running in this process, for tests: started as <c>up</c> starts it (the same orchestrator, network and
/// containers), with the gateway on a free port, and taken down by <see cref="DisposeAsync"/>. The generated
/// <c>XxxStack.StartAsync</c> returns a typed subclass with one property per service
/// (<c>await using var shop = await ShopStack.StartAsync(ShopEnvironment.Test);</c>, then <c>shop.Catalog</c>).
/// </summary>
public class RunningStack : IAsyncDisposable
{
    private readonly RunningStackOptions _options;
    private readonly string? _userSecretsId;
    private readonly Dictionary<string, RunningService> _byName;
    private readonly UpConsole? _console;
    private readonly UpProgress? _progress;
    private readonly Lock _lock = new();
    private StackOrchestrator? _orchestrator;
    private ILoggerFactory? _ownLoggerFactory;
    private string? _ownVolumesDirectory;
    private RunningGateway? _gateway;
    private bool _started;
    private Task? _dispose;

    /// <summary>The stack resolved for <paramref name="environment"/>, not started yet: <see cref="StartAsync{TStack}"/> starts it.</summary>
    /// <param name="descriptor">The generated <c>XxxStack.Descriptor</c>.</param>
    /// <param name="environment">A declared environment's name.</param>
    /// <param name="stackAssembly">The stack project's assembly, whose <c>UserSecretsId</c> <c>user_secret</c> secrets use; null for none.</param>
    /// <param name="options">How to run it; null for the defaults.</param>
    /// <exception cref="ArgumentException">The stack has no such environment.</exception>
    protected RunningStack(StackDescriptor descriptor, string environment, Assembly? stackAssembly, RunningStackOptions? options)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentException.ThrowIfNullOrEmpty(environment);
        _options = options ?? new RunningStackOptions();
        _userSecretsId = StackUserSecrets.FindId(stackAssembly);

        // Published ports on free ports, as the gateway's: tests that run side by side do not collide.
        var stack = descriptor.Resolve(environment);
        stack = stack with
        {
            Services = [.. stack.Services.Select(s => s.Ports.IsEmpty ? s : s with { Ports = [.. s.Ports.Select(p => p with { HostPort = 0 })] })],
        };
        Definition = _options.ConfigureStack?.Invoke(stack) ?? stack;
        Services = [.. Definition.Services.Select(s => new RunningService(s, () => _orchestrator?.Network))];
        _byName = Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (_options.Output is { } output)
        {
            _console = new UpConsole(LinesTo(output), ConsoleStyle.Plain);
            _progress = new UpProgress(_console, Definition);
        }
    }

    /// <summary>
    /// Every change in a replica's life (raised on the replica's own task; a handler must not block). What happened
    /// before the handler was added is in each service's <see cref="RunningService.Replicas"/>.
    /// </summary>
    public event EventHandler<ReplicaEvent>? ReplicaChanged;

    /// <summary>The stack as it runs: resolved for its environment, published ports on free ports, then <see cref="RunningStackOptions.ConfigureStack"/>.</summary>
    public StackDefinition Definition { get; }

    /// <summary>The gateway: its address and clients for it.</summary>
    public RunningGateway Gateway => _gateway ?? throw new InvalidOperationException($"Stack '{Definition.Name}' is not running.");

    /// <summary>The services, in the order stack.toml declares them (a service with <c>replicas = 0</c> has none).</summary>
    public IReadOnlyList<RunningService> Services { get; }

    /// <summary>The service named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The stack has no such service.</exception>
    public RunningService GetService(string name) => _byName.TryGetValue(name, out var service)
        ? service
        : throw new KeyNotFoundException($"Stack '{Definition.Name}' has no service named '{name}'.");

    /// <summary>Starts <paramref name="environment"/> of the stack <paramref name="descriptor"/> describes (the untyped form of the generated <c>XxxStack.StartAsync</c>).</summary>
    /// <inheritdoc cref="StartAsync{TStack}"/>
    public static Task<RunningStack> StartAsync(StackDescriptor descriptor, string environment, RunningStackOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(new RunningStack(descriptor, environment, stackAssembly: null, options), cancellationToken);

    /// <summary>Completes when every service's replicas are ready (see <see cref="RunningService.WaitHealthyAsync"/>).</summary>
    public Task WaitHealthyAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Services.Select(s => s.WaitHealthyAsync(cancellationToken)));

    /// <summary>
    /// Stops the stack as <c>up</c> does on Ctrl+C (dependents before their dependencies, each replica out of the
    /// network, SIGTERM, SIGKILL after its grace period), removes every container and the network, and deletes the
    /// run's own volumes directory. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _dispose ??= StopAsync();
        }

        await _dispose.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"Stack '{Definition.Name}' ({Definition.Environment})";

    /// <summary>
    /// Starts <paramref name="stack"/> and returns it once every service is ready, as <c>up</c> starts a stack. When
    /// it cannot start, everything it started is removed before this throws.
    /// </summary>
    /// <exception cref="StackStartException">A service could not start (each is named with its reason), or the gateway's port is taken.</exception>
    /// <exception cref="StackConfigurationException">A secret or a variable the stack needs is missing.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    protected static async Task<TStack> StartAsync<TStack>(TStack stack, CancellationToken cancellationToken)
        where TStack : RunningStack
    {
        ArgumentNullException.ThrowIfNull(stack);
        await stack.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return stack;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_started || _dispose is not null)
            {
                throw new InvalidOperationException("A running stack starts once.");
            }

            _started = true;
        }

        try
        {
            var volumes = _options.VolumesDirectory ?? (_ownVolumesDirectory = Path.Combine(_options.EffectiveStateDirectory, "volumes", Guid.NewGuid().ToString("N")));
            var loggerFactory = _options.LoggerFactory ?? (_console is null ? NullLoggerFactory.Instance : (_ownLoggerFactory = CreateOutputLoggerFactory(_console)));
            _orchestrator = new StackOrchestrator(
                Definition,
                Microsoft.Extensions.Options.Options.Create(_options.ToOrchestratorOptions(Definition, volumes, _userSecretsId)),
                loggerFactory,
                _console is null ? null : new PrefixedReplicaOutput(_console, Definition));
            _orchestrator.ReplicaChanged += OnReplicaChanged;
            _progress?.Starting(Definition.Environment);
            var clock = Stopwatch.StartNew();
            await _orchestrator.StartAsync(cancellationToken).ConfigureAwait(false);
            _gateway = new RunningGateway(_orchestrator.Network!.GatewayAddress);
            _progress?.Up(clock.Elapsed, _orchestrator.Network, interactive: false);
        }
        catch
        {
            // The orchestrator removed all it started before it threw; stopping it again only waits for that.
            if (_orchestrator is { } orchestrator)
            {
                await orchestrator.DisposeAsync().ConfigureAwait(false);
            }

            ReleaseResources();
            throw;
        }
    }

    private async Task StopAsync()
    {
        if (_orchestrator is { } orchestrator && _gateway is not null)
        {
            _progress?.Stopping();
            await orchestrator.DisposeAsync().ConfigureAwait(false);
            _progress?.Stopped();
        }

        ReleaseResources();
    }

    /// <summary>What the run owns besides its containers and network, which the orchestrator removes.</summary>
    private void ReleaseResources()
    {
        if (_orchestrator is { } orchestrator)
        {
            orchestrator.ReplicaChanged -= OnReplicaChanged;
        }

        _gateway = null;
        foreach (var service in Services)
        {
            service.OnStackStopped();
        }

        if (_ownVolumesDirectory is { } volumes && Directory.Exists(volumes))
        {
            Directory.Delete(volumes, recursive: true);
        }

        _ownLoggerFactory?.Dispose();
        _ownLoggerFactory = null;
    }

    private void OnReplicaChanged(object? sender, ReplicaEvent e)
    {
        if (_byName.TryGetValue(e.Service, out var service))
        {
            service.OnReplicaChanged(e);
        }

        _progress?.OnReplicaChanged(this, e);
        ReplicaChanged?.Invoke(this, e);
    }

    /// <summary>
    /// Hands each line of what the console writes (a log entry with its exception spans several) to <paramref name="sink"/>,
    /// such as xUnit's <c>ITestOutputHelper.WriteLine</c>. The sink is best effort: one that throws (xUnit's does once
    /// its test has ended, while replicas still write) loses that line and nothing else, so the replicas' output never
    /// stops their supervision.
    /// </summary>
    private static Action<string> LinesTo(Action<string> sink) => text =>
    {
        foreach (var line in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            try
            {
                sink(line);
            }
#pragma warning disable CA1031 // Whatever the sink throws, the line is all that is lost.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    };

    /// <summary>The host's warnings and errors among the output; the orchestrator's warnings are the progress lines already, as in <c>up</c>.</summary>
    private static ILoggerFactory CreateOutputLoggerFactory(UpConsole console) => Microsoft.Extensions.Logging.LoggerFactory.Create(logging => logging
        .AddProvider(new OutputLoggerProvider(console))
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Berth.Orchestration", LogLevel.Error));
}
