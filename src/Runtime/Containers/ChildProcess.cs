using System.Diagnostics;

namespace Berth.Runtime.Containers;

/// <summary>Ending a child of the host that must not outlive what it was for: an init whose start failed, an exec'd process.</summary>
internal static class ChildProcess
{
    /// <summary>Kills it with SIGKILL if it still runs, waits until it has been reaped, and disposes it.</summary>
    public static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        process.Dispose();
    }
}
