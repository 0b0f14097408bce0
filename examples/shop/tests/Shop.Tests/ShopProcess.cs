using System.Diagnostics;
using System.Reflection;

namespace Shop.Tests;

/// <summary>
/// The shop's command line as a user runs it (`dotnet run --project examples/shop -- ARGS` runs this same build
/// output), with a state directory, cgroup parent and volumes directory of the test's, and its lines as they come.
/// SIGINT is at its default disposition whatever this process inherited, so that Ctrl+C can be sent.
/// </summary>
internal sealed class ShopProcess : IDisposable
{
    private static readonly string s_assembly = typeof(ShopProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ShopAssembly").Value!;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ShopProcess(ShopRun run, string volumesDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(s_assembly)!,
        };
        foreach (var arg in (string[])["--default-signal=INT", "dotnet", s_assembly, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Berth__StateDirectory"] = run.StateDirectory;
        start.Environment["Berth__CgroupParent"] = run.CgroupParent;
        start.Environment["Berth__VolumesDirectory"] = volumesDirectory;
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("SHOP_PAYMENTS_API_KEY");
        _process = Process.Start(start)!;
        _reading = Task.WhenAll(ReadAsync(_process.StandardOutput), ReadAsync(_process.StandardError));
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Transcript => string.Join('\n', Lines);

    /// <summary>Waits for the first line that matches, failing if the process ends (or the generous bound passes) first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(ShopRun.Generous);
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                changed = _changed.Task;
            }

            if (_reading.IsCompleted)
            {
                Assert.Fail($"The shop ended before the line came:\n{Transcript}");
            }

            await Task.WhenAny(changed, _reading).WaitAsync(timeout.Token);
        }
    }

    /// <summary>Ctrl+C, as the terminal sends it.</summary>
    public void Interrupt() => Assert.Equal(0, Tmds.Linux.LibC.kill(_process.Id, Tmds.Linux.LibC.SIGINT));

    /// <summary>Waits for the process and all its output; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(ShopRun.Generous);
        await _reading.WaitAsync(ShopRun.Generous);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            TaskCompletionSource changed;
            lock (_lines)
            {
                _lines.Add(line);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }
    }
}
