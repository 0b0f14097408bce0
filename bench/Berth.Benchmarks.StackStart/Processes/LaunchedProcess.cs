using System.Diagnostics;

namespace Berth.Benchmarks.StackStart.Processes;

/// <summary>
/// A process a contender starts (a service, the Berth host, the Aspire app host), its standard output and error
/// read line by line as a terminal would take them, each line stamped with when it arrived. The lines go to a
/// handler (the Berth host's progress lines tell where its start time goes) and the last few are kept for the
/// message when a start fails.
/// </summary>
internal sealed class LaunchedProcess : IDisposable
{
    private const int KeptLines = 40;

    private static readonly TimeSpan s_outputLimit = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _lock = new();
    private readonly Task _output;
    private readonly Task _error;

    private LaunchedProcess(Process process, long origin, Action<TimeSpan, string>? onLine)
    {
        _process = process;
        _process.StandardInput.Close();
        _output = PumpAsync(process.StandardOutput, origin, onLine);
        _error = PumpAsync(process.StandardError, origin, onLine);
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="executable"/>; line times are measured from <paramref name="origin"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static LaunchedProcess Start(
        string executable,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        long origin,
        Action<TimeSpan, string>? onLine = null)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{executable} did not start.");
        return new LaunchedProcess(process, origin, onLine);
    }

    /// <summary>Waits for the exit and for the end of its output (which a child that outlives it may hold open: bounded).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_output, _error).WaitAsync(s_outputLimit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the exit: lets the last lines arrive (within a bound), so that <see cref="Tail"/> has them.</summary>
    public async Task WaitForOutputAsync()
    {
        try
        {
            await Task.WhenAll(_output, _error).WaitAsync(s_outputLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A child holds the output open; the tail has what came so far.
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines of output, for the message of a failed start.</summary>
    public string Tail()
    {
        lock (_lock)
        {
            return string.Join('\n', _tail);
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task PumpAsync(StreamReader reader, long origin, Action<TimeSpan, string>? onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var at = Stopwatch.GetElapsedTime(origin);
            lock (_lock)
            {
                _tail.Enqueue(line);
                if (_tail.Count > KeptLines)
                {
                    _tail.Dequeue();
                }
            }

            onLine?.Invoke(at, line);
        }
    }
}
