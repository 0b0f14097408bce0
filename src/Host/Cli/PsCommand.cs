using System.CommandLine;
using System.Text.Json;
using Berth.Host.Control;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary><c>ps</c>: the replicas of the stack that runs, with their state, health, restarts, PID and memory.</summary>
internal static class PsCommand
{
    public static Command Create(StackDescriptor descriptor, IConfiguration settings)
    {
        var format = new Option<string>("--format")
        {
            Description = "table (aligned columns, the default) or json (every member, for scripts; see docs/orchestration.md).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("ps", $"Show the replicas of stack '{descriptor.Name}' that `up` runs (in another terminal): state, health, restarts, PID, memory, uptime. Exit code 1 when it is not running.")
        {
            format,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            return RemoteVerb.RunAsync(
                descriptor,
                settings,
                result.InvocationConfiguration.Error,
                new ControlRequest(ControlVerbs.Ps),
                async client =>
                {
                    await foreach (var message in client.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (message.Status is { } status)
                        {
                            await output.WriteLineAsync(result.GetValue(format) == "json"
                                ? JsonSerializer.Serialize(status, ControlJsonContext.Indented.StackStatusDocument)
                                : StackStatusTable.Format(status, DateTimeOffset.UtcNow)).ConfigureAwait(false);
                            return 0;
                        }
                    }

                    throw new IOException("it closed the connection without an answer");
                },
                cancellationToken);
        });
        return command;
    }
}
