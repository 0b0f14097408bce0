using System.CommandLine;
using System.Diagnostics;
using Berth.Host.Control;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// <c>down</c>: stops the stack that <c>up</c> runs in another terminal, as Ctrl+C there would (the same ordered
/// stop), shows its replicas stopping, and returns once that process has exited. For a stack whose process died
/// without stopping it (SIGKILL), it removes what that process left behind.
/// </summary>
internal static class DownCommand
{
    public static Command Create(StackDescriptor descriptor, IConfiguration settings)
    {
        var command = new Command("down", $"Stop stack '{descriptor.Name}' that `up` runs (in another terminal) as Ctrl+C there does: dependents first, each with its grace period; returns when that process has exited. Exit code 1 when it is not running (what a killed run left behind is removed).");
        command.SetAction((result, cancellationToken) =>
        {
            var console = new UpConsole(result.InvocationConfiguration.Output, ConsoleStyle.For(result.InvocationConfiguration.Output));
            var error = result.InvocationConfiguration.Error;
            return RemoteVerb.RunAsync(
                descriptor,
                settings,
                error,
                new ControlRequest(ControlVerbs.Down),
                client => StopAsync(descriptor, client, console, cancellationToken),
                cancellationToken,
                (directory, notRunning) => RemoveAbandonedAsync(settings, directory, notRunning, console, error, cancellationToken));
        });
        return command;
    }

    private static async Task<int> StopAsync(StackDescriptor descriptor, StackControlClient client, UpConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ProcessExitWatch? host = null;
        UpProgress? progress = null;
        try
        {
            await foreach (var message in client.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (message.Down is { } down)
                {
                    // Right away, while the process surely runs: the pidfd then names it even if its PID is reused.
                    host = ProcessExitWatch.Open(down.Pid);
                    var stack = descriptor.Resolve(down.Environment);
                    console.Style.AssignColors(stack.Services.Select(s => s.Name));
                    progress = new UpProgress(console, stack);
                    console.WriteLine(console.Style.Bold($"Stopping stack '{stack.Name}' ({down.Environment}, PID {down.Pid})"));
                }
                else if (message.Event?.ToEvent() is { } replicaEvent)
                {
                    progress?.OnReplicaChanged(null, replicaEvent);
                }
            }

            if (host is null)
            {
                throw new IOException("it closed the connection without an answer");
            }

            await host.WaitAsync(cancellationToken).ConfigureAwait(false);
            console.WriteLine(console.Style.Bold($"Stack '{descriptor.Name}' stopped in {Orchestration.Durations.Format(clock.Elapsed)}."));
            return 0;
        }
        finally
        {
            host?.Dispose();
        }
    }

    /// <summary>The process that ran the stack is gone: its record and the containers' remains go now, rather than at the next up.</summary>
    private static async Task<int> RemoveAbandonedAsync(IConfiguration settings, StackDirectory directory, StackNotRunningException notRunning, UpConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync(notRunning.Message).ConfigureAwait(false);
        if (!notRunning.Abandoned)
        {
            return RemoteVerb.NotRunning;
        }

        try
        {
            // Under the stack's lock, so that an up starting meanwhile waits for this, or this for it.
            using (StackOwnership.Claim(directory))
            {
                var options = StackSettings.Read(settings);
                var runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = options.StateDirectory, CgroupParent = options.CgroupParent });
                var removed = await runtime.RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false);
                console.WriteLine(removed.Count == 0
                    ? $"Removed its record."
                    : $"Removed its record and what its {removed.Count} container{(removed.Count == 1 ? string.Empty : "s")} left: {string.Join(", ", removed)}.");
            }
        }
        catch (StackAlreadyRunningException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
        }

        return RemoteVerb.NotRunning;
    }
}
