using System.Diagnostics;

namespace Berth.Runtime.Tests;

/// <summary>
/// A child process that waits on its stdin before running its command, so a test can put it in a cgroup first:
/// memory charged before the move stays where it was, and forks before it are not counted.
/// Disposing kills it by its pid if it still runs.
/// </summary>
internal sealed class GatedProcess : IDisposable
{
    // A hang guard for waits that a working kernel ends in milliseconds; reaching it fails the test.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private GatedProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>/bin/sh -c 'read _; SCRIPT'</c>: the script runs once <see cref="Release"/> is called.</summary>
    public static GatedProcess Start(string script)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("read _; " + script);
        return new GatedProcess(Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start"));
    }

    /// <summary>A process that just sleeps (released at once).</summary>
    public static GatedProcess Sleep()
    {
        var process = Start("exec /bin/sleep 30");
        process.Release();
        return process;
    }

    public void Release()
    {
        _process.StandardInput.WriteLine();
        _process.StandardInput.Flush();
    }

    public async Task WaitForExitAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(patience.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
