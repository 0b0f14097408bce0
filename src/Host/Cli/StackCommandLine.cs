using System.CommandLine;
using System.CommandLine.Help;

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

        var root = new RootCommand($"Berth stack '{descriptor.Name}'. Environments: {string.Join(", ", descriptor.Environments.Select(e => e.Name))} (default {descriptor.DefaultEnvironment}).")
        {
            ConfigCommand.Create(descriptor),
        };
        root.SetAction(result =>
        {
            new HelpAction().Invoke(result);
            return 0;
        });

        var configuration = new InvocationConfiguration();
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
