using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// The command line of a stack project (<c>dotnet run -- VERB</c>). The generated <c>Main</c> calls
/// <see cref="RunAsync"/>; a project with its own entry point can call it too.
/// </summary>
public static class StackCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the verb they name.</summary>
    public static Task<int> RunAsync(StackDescriptor descriptor, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default) =>
        RunAsync(descriptor, args, new ConfigurationBuilder().AddEnvironmentVariables().Build(), output, error, cancellationToken);

    /// <summary>
    /// Parses <paramref name="args"/> and runs the verb they name with <paramref name="settings"/> in place of the
    /// environment's variables (the section <c>Berth</c>: where the state directory is, …).
    /// </summary>
    internal static Task<int> RunAsync(StackDescriptor descriptor, string[] args, IConfiguration settings, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);

        var root = new RootCommand($"Berth stack '{descriptor.Name}'. Environments: {string.Join(", ", descriptor.Environments.Select(e => e.Name))} (default {descriptor.DefaultEnvironment}). Without a command, runs the stack (up); ps, logs, down and exec reach the stack that up runs in another terminal.")
        {
            UpCommand.Create(descriptor, settings),
            PsCommand.Create(descriptor, settings),
            LogsCommand.Create(descriptor, settings),
            DownCommand.Create(descriptor, settings),
            ExecCommand.Create(descriptor, settings),
            ConfigCommand.Create(descriptor),
            ImageExportCommand.AddTo(ImageCommand.Create(), descriptor),
            Export.ExportCommand.Create(descriptor),
        };
        UpCommand.AddTo(root, descriptor, settings);

        // No signal handling here: up stops the stack on SIGINT and SIGTERM itself, which takes each service's grace period.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
