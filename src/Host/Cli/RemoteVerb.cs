using Berth.Host.Control;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// What <c>ps</c>, <c>logs</c>, <c>down</c> and <c>exec</c> share: they find the process that runs the stack through the state
/// directory, send it one request, and say so plainly (exit code 1) when the stack is not running.
/// </summary>
internal static class RemoteVerb
{
    /// <summary>The exit code when no process runs the stack.</summary>
    public const int NotRunning = 1;

    /// <summary>
    /// Connects, sends <paramref name="request"/> and lets <paramref name="serve"/> read the answers; a stack that is
    /// not running goes to <paramref name="notRunning"/> (default: its message on <paramref name="error"/>, exit code 1).
    /// </summary>
    public static async Task<int> RunAsync(
        StackDescriptor descriptor,
        IConfiguration settings,
        TextWriter error,
        ControlRequest request,
        Func<StackControlClient, Task<int>> serve,
        CancellationToken cancellationToken,
        Func<StackDirectory, StackNotRunningException, Task<int>>? notRunning = null)
    {
        StackDirectory directory;
        try
        {
            directory = StackSettings.DirectoryOf(settings, descriptor);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return NotRunning;
        }

        StackControlClient client;
        try
        {
            client = await StackControlClient.ConnectAsync(directory, cancellationToken).ConfigureAwait(false);
        }
        catch (StackNotRunningException e)
        {
            if (notRunning is not null)
            {
                return await notRunning(directory, e).ConfigureAwait(false);
            }

            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return NotRunning;
        }

        await using (client.ConfigureAwait(false))
        {
            try
            {
                await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return await serve(client).ConfigureAwait(false);
            }
            catch (ControlRequestException e)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return NotRunning;
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"Stack '{descriptor.Name}' stopped answering: {e.Message}").ConfigureAwait(false);
                return NotRunning;
            }
        }
    }
}
