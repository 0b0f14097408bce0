using System.Diagnostics;

namespace Berth.Benchmarks.Network.Processes;

/// <summary>What a tool that ran to its end wrote and how it exited.</summary>
internal sealed record ToolOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs an outside tool to its end (taskset, wrk, a version query), its output captured. A tool that outlives its
/// time is killed, by the PID it was started with, and that is an error.
/// </summary>
internal static class ToolProcess
{
    public static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    public static async Task<ToolOutput> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeLimit)
    {
        var startInfo = StartInfo(executable, arguments);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"`{executable} {string.Join(' ', startInfo.ArgumentList)}` did not end within {timeLimit.TotalSeconds:0} s and was killed.");
        }

        return new ToolOutput(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
