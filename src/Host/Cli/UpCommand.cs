using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Berth.Host.Configuration;
using Berth.Host.Control;
using Berth.Host.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Host;

/// <summary>
/// <c>up</c> (also what runs without a verb): brings the stack up (gateway, mesh, every service in dependency
/// order), prints its progress and the replicas' output, and takes it down on Ctrl+C or SIGTERM.
/// </summary>
internal static class UpCommand
{
    /// <summary>The exit code of a start interrupted by Ctrl+C, as a shell reports a process ended by SIGINT.</summary>
    private const int Interrupted = 130;

    public static Command Create(StackDescriptor descriptor, IConfiguration settings)
    {
        var command = new Command("up", "Run the stack (the default when no command is given): every service in its containers, in dependency order, behind the gateway, until Ctrl+C, SIGTERM or `down` stops it. One run of a stack at a time.");
        AddTo(command, descriptor, settings);
        return command;
    }

    /// <summary>Gives <paramref name="command"/> the options and action of <c>up</c>: the root command gets them too.</summary>
    public static void AddTo(Command command, StackDescriptor descriptor, IConfiguration settings)
    {
        var environment = new Option<string?>("--environment", "-e")
        {
            Description = $"The environment to run ({string.Join(", ", descriptor.Environments.Select(e => e.Name))}); default: DOTNET_ENVIRONMENT, else {descriptor.DefaultEnvironment}.",
        };
        var gatewayPort = new Option<int?>("--gateway-port")
        {
            Description = "Listen on this port instead of [gateway] port; 0 takes a free one (the summary shows which).",
        };
        gatewayPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                result.AddError("--gateway-port must be between 0 and 65535.");
            }
        });
        command.Options.Add(environment);
        command.Options.Add(gatewayPort);
        command.SetAction((result, cancellationToken) => RunAsync(
            descriptor,
            settings,
            result.GetValue(environment),
            result.GetValue(gatewayPort),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
    }

    private static async Task<int> RunAsync(StackDescriptor descriptor, IConfiguration settings, string? requested, int? gatewayPort, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string selected;
        try
        {
            selected = descriptor.SelectEnvironment(requested, System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"));
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }

        var stack = descriptor.Resolve(selected);
        var console = new UpConsole(output, ConsoleStyle.For(output));
        console.Style.AssignColors(stack.Services.Select(s => s.Name));
        var progress = new UpProgress(console, stack);

        using var host = BuildHost(descriptor, settings, selected, stack, console, gatewayPort);
        var orchestrator = host.Services.GetRequiredService<StackOrchestrator>();
        orchestrator.ReplicaChanged += progress.OnReplicaChanged;
        var control = host.Services.GetRequiredService<StackControlServer>();
        control.AbandonedRecordRemoved += progress.OnAbandonedRecordRemoved;
        control.DownRequested += progress.OnDownRequested;

        progress.Starting(selected);
        var clock = Stopwatch.StartNew();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackStartException or StackConfigurationException or StackAlreadyRunningException)
        {
            error.WriteLine(e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"Stack '{stack.Name}' was stopped while it started.");
            return Interrupted;
        }

        progress.Up(clock.Elapsed, orchestrator.Network!);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using (lifetime.ApplicationStopping.Register(progress.Stopping))
        {
            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        progress.Stopped();
        return 0;
    }

    private static IHost BuildHost(StackDescriptor descriptor, IConfiguration settings, string environment, StackDefinition stack, UpConsole console, int? gatewayPort)
    {
        // Empty: no appsettings.json from wherever the command runs, no user secrets of the stack project as its configuration.
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = $"berth-{stack.Name}" });
        builder.Configuration.AddConfiguration(settings);
        builder.AddStack(descriptor, environment);
        builder.Services.AddSingleton<IReplicaOutput>(new PrefixedReplicaOutput(console, stack));
        builder.Services.AddStackOrchestrator();
        builder.Services.Configure<StackOrchestratorOptions>(builder.Configuration.GetSection(StackSettings.Section));

        // ps, logs and down from other terminals; and no second run of the stack.
        builder.Services.AddStackControl();
        if (gatewayPort is { } port)
        {
            builder.Services.Configure<StackOrchestratorOptions>(o => o.GatewayEndPoint = new IPEndPoint(IPAddress.Parse(stack.Gateway.Bind), port));
        }

        // The orchestrator bounds each service's stop by its stop_grace_period; the host must not cut that short.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        // Progress lines say what the orchestrator does; the log adds only what goes wrong elsewhere.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Berth.Orchestration", LogLevel.Error);

        // A start that fails is up's to report, with its message alone; the host's "Hosting failed to start" would
        // say it again before it, with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder.Build();
    }
}
