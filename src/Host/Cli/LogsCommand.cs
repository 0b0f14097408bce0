using System.CommandLine;
using Berth.Host.Control;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// <c>logs [SERVICE]</c>: what the replicas of the stack that runs have written (the last lines the stack keeps of
/// each), and with <c>--follow</c> what they write from then on, until Ctrl+C or the stack stops.
/// </summary>
internal static class LogsCommand
{
    public static Command Create(StackDescriptor descriptor, IConfiguration settings)
    {
        var services = descriptor.Resolve(descriptor.DefaultEnvironment).Services.Select(s => s.Name).ToList();
        var service = new Argument<string?>("service")
        {
            Description = $"Only this service's replicas ({string.Join(", ", services)}); default: every service.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "service",
        };
        service.AcceptOnlyFromAmong([.. services]);
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep printing new lines as they come, until Ctrl+C or the stack stops.",
        };
        var tail = new Option<int?>("--tail", "-n")
        {
            Description = "Only the last N lines of each replica (the stack keeps the last 1000 of each).",
        };
        tail.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
            {
                result.AddError("--tail must be 0 or more.");
            }
        });
        var timestamps = new Option<bool>("--timestamps", "-t")
        {
            Description = "Start each line with the time the host read it (UTC, ISO 8601).",
        };
        var command = new Command("logs", $"Print the output of the replicas of stack '{descriptor.Name}' that `up` runs (in another terminal), each line after its replica's name. Exit code 1 when it is not running.")
        {
            service,
            follow,
            tail,
            timestamps,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var style = ConsoleStyle.For(output);
            style.AssignColors(services);
            var prefix = ReplicaLinePrefix.For(style, descriptor.Environments.Select(e => descriptor.Resolve(e.Name)));
            var withTime = result.GetValue(timestamps);
            return RemoteVerb.RunAsync(
                descriptor,
                settings,
                result.InvocationConfiguration.Error,
                new ControlRequest(ControlVerbs.Logs) { Service = result.GetValue(service), Tail = result.GetValue(tail), Follow = result.GetValue(follow) },
                async client =>
                {
                    await foreach (var message in client.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (message.Line is { } line)
                        {
                            var text = withTime ? $"{line.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ} {line.Text}" : line.Text;
                            await output.WriteLineAsync(prefix.Format(line.Service, line.Replica, text)).ConfigureAwait(false);
                            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    return 0;
                },
                cancellationToken);
        });
        return command;
    }
}
