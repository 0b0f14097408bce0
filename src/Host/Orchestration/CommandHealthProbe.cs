using System.Collections.Immutable;
using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// <c>health = { command = [...] }</c>: the program runs inside the replica's container (<see cref="Container.ExecAsync"/>),
/// as the service's user, with its environment, directory and restrictions; exit code 0 is healthy. What it writes
/// to standard output and error (the first <see cref="MaxOutputBytes"/>) goes into the reason of a failure. A check
/// that runs out of time is killed.
/// </summary>
internal sealed class CommandHealthProbe(Container container, ImmutableArray<string> command, TimeSpan timeout) : HealthProbe
{
    /// <summary>As much output as Docker keeps of a health check.</summary>
    public const int MaxOutputBytes = 4096;

    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var output = new OutputCapture(MaxOutputBytes);
        ExecProcess process;
        try
        {
            process = await container.ExecAsync(
                new ExecSpec(command[0], command[1..]) { StandardOutput = output.WriteEnd, StandardError = output.WriteEnd },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerExecException e)
        {
            throw new HealthCheckFailedException($"{Display} could not run: {e.Stage}: {e.Reason}");
        }

        ContainerExit exit;
        await using (process.ConfigureAwait(false))
        {
            try
            {
                exit = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time (or the replica is stopping, when nobody reads this): killed, with what it said so far.
                await process.DisposeAsync().ConfigureAwait(false);
                throw new HealthCheckFailedException($"{Display} did not finish within {Durations.Format(timeout)} and was killed{Said(await output.StopAsync().ConfigureAwait(false))}");
            }
        }

        if (!exit.Succeeded())
        {
            throw new HealthCheckFailedException($"{Display} failed ({exit.Describe()}){Said(await output.StopAsync().ConfigureAwait(false))}");
        }
    }

    private string Display => $"'{string.Join(' ', command)}'";

    /// <summary>The output as one line of a message: its lines joined, or nothing when it printed nothing.</summary>
    private static string Said((string Text, bool Truncated) output)
    {
        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : $": {string.Join("; ", lines)}{(output.Truncated ? " …" : string.Empty)}";
    }
}
