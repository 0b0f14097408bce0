using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Host.Control;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// <c>exec SERVICE [--replica N] -- COMMAND [ARGS…]</c>: runs a program in a replica's container of the stack that
/// <c>up</c> runs in another terminal, with this process's own standard input, output and error, and exits with
/// its exit code. The process that runs the stack starts it (it owns the containers); the streams go there over
/// the control socket, and Ctrl+C and the like are passed on.
/// </summary>
internal static class ExecCommand
{
    /// <summary>The exit code when the command could not be run (as <c>docker exec</c>'s 126).</summary>
    public const int CannotRun = 126;

    private static readonly PosixSignal[] s_passedOn = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    public static Command Create(StackDescriptor descriptor, IConfiguration settings)
    {
        var services = descriptor.Resolve(descriptor.DefaultEnvironment).Services.Select(s => s.Name).ToList();
        var service = new Argument<string>("service")
        {
            Description = $"The service ({string.Join(", ", services)}).",
            HelpName = "service",
        };
        service.AcceptOnlyFromAmong([.. services]);
        var command = new Argument<string[]>("command")
        {
            Description = "The program (an absolute path in the container, or a name looked up in its PATH) and its arguments; put -- before it when an argument starts with '-'.",
            Arity = ArgumentArity.OneOrMore,
        };
        var replica = new Option<int>("--replica", "-r")
        {
            Description = "Which replica (1 to the service's replicas).",
            DefaultValueFactory = _ => 1,
        };
        replica.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--replica must be 1 or more.");
            }
        });
        var workdir = new Option<string?>("--workdir", "-w")
        {
            Description = "The directory it starts in, inside the container; default: the service's.",
        };
        var exec = new Command("exec", $"Run a program in a replica's container of stack '{descriptor.Name}' that `up` runs (in another terminal), as the service's user with its restrictions and environment, with this terminal's input and output (no terminal of its own). Exits with the program's exit code; 126 when it could not run, 1 when the stack is not running.")
        {
            service,
            command,
            replica,
            workdir,
        };
        exec.SetAction((result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var request = new ControlRequest(ControlVerbs.Exec)
            {
                Service = result.GetValue(service),
                Replica = result.GetValue(replica),
                Command = result.GetValue(command),
                WorkingDirectory = result.GetValue(workdir),
            };
            return RemoteVerb.RunAsync(descriptor, settings, error, request, client => RunAsync(client, error, cancellationToken), cancellationToken);
        });
        return exec;
    }

    private static async Task<int> RunAsync(StackControlClient client, TextWriter error, CancellationToken cancellationToken)
    {
        // From when the program may run, a signal for this process is the program's (Ctrl+C reaches only this
        // process: the program is in the container's session). Passed on once the streams are (the process reads
        // them first), so a signal that comes while it starts is not lost.
        var streamsPassed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task PassOnAsync(int signal)
        {
            await streamsPassed.Task.ConfigureAwait(false);
            await client.SendAsync(new ControlRequest(ControlVerbs.Signal) { Signal = signal }, CancellationToken.None).ConfigureAwait(false);
        }

        var registrations = new List<PosixSignalRegistration>();
        try
        {
            await foreach (var message in client.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (message.Ready)
                {
                    registrations.AddRange(s_passedOn.Select(signal => PosixSignalRegistration.Create(signal, context =>
                    {
                        context.Cancel = true;
                        _ = PassOnAsync(Number(signal));
                    })));

                    // This process's own standard input, output and error: the program reads and writes them directly.
                    await client.SendDescriptorsAsync([0, 1, 2], cancellationToken).ConfigureAwait(false);
                    streamsPassed.TrySetResult();
                }
                else if (message.Exited is { } exit)
                {
                    return exit.Signal is { } signal ? 128 + signal : exit.ExitCode;
                }
            }
        }
        catch (ControlRequestException e)
        {
            await error.WriteLineAsync($"Cannot run the command: {e.Message}").ConfigureAwait(false);
            return CannotRun;
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }

        throw new IOException("it closed the connection before the command ended");
    }

    private static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => Tmds.Linux.LibC.SIGINT,
        PosixSignal.SIGTERM => Tmds.Linux.LibC.SIGTERM,
        PosixSignal.SIGHUP => Tmds.Linux.LibC.SIGHUP,
        _ => Tmds.Linux.LibC.SIGQUIT,
    };
}
