using System.CommandLine;

namespace Berth.Host;

/// <summary>
/// The command line of a stack project (<c>dotnet run -- VERB</c>). The generated <c>Main</c> calls
/// <see cref="RunAsync"/>; a project with its own entry point can call it too.
/// </summary>
public static class StackCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the verb they name.</summary>
    public static Task<int> RunAsync(StackDescriptor descriptor, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(args);

        var root = new RootCommand($"Berth stack '{descriptor.Name}'. Environments: {string.Join(", ", descriptor.Environments.Select(e => e.Name))} (default {descriptor.DefaultEnvironment}). Without a command, runs the stack (up).")
        {
            UpCommand.Create(descriptor),
            ConfigCommand.Create(descriptor),
            ImageExportCommand.AddTo(ImageCommand.Create(), descriptor),
        };
        UpCommand.AddTo(root, descriptor);

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
