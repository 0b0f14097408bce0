using System.Diagnostics;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// A process the harness starts: the bare spawn, crun, runc. Standard input, output and error are pipes, as for
/// the init Berth starts, so every contender pays the same for them. Output is drained only when asked: a detached
/// container inherits the pipes, and reading them to the end would wait for the container.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan s_errorReadLimit = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _description;
    private readonly Task<string>? _output;
    private readonly Task<string>? _error;

    private ChildProcess(Process process, long startTimestamp, string description, bool drain)
    {
        _process = process;
        StartTimestamp = startTimestamp;
        _description = description;
        process.StandardInput.Close();
        if (drain)
        {
            _output = process.StandardOutput.ReadToEndAsync();
            _error = process.StandardError.ReadToEndAsync();
        }
    }

    public int Pid => _process.Id;

    /// <summary>When the process was asked for, on the thread that started it (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long StartTimestamp { get; }

    public static async Task<ChildProcess> StartAsync(IProcessLauncher launcher, string executable, IEnumerable<string> arguments, bool drain, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var (process, startTimestamp) = await launcher.StartAsync(startInfo).ConfigureAwait(false);
        return new ChildProcess(process, startTimestamp, $"{Path.GetFileName(executable)} {string.Join(' ', startInfo.ArgumentList)}", drain);
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>Waits for the exit and returns standard output; an exit code other than 0 throws with standard error.</summary>
    public async Task<string> SucceedAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var output = _output is null ? string.Empty : await _output.ConfigureAwait(false);
        if (_process.ExitCode == 0)
        {
            return output;
        }

        throw new ContenderRunException($"`{_description}` exited with code {_process.ExitCode}: {(await ErrorAsync().ConfigureAwait(false)).Trim()}");
    }

    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose() => _process.Dispose();

    /// <summary>Standard error; undrained, read for a bounded time (a container that outlived a failed start may hold it open).</summary>
    private async Task<string> ErrorAsync()
    {
        try
        {
            return await (_error ?? _process.StandardError.ReadToEndAsync()).WaitAsync(s_errorReadLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "(no message within 5 s)";
        }
    }
}
