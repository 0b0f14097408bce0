using System.Diagnostics;

namespace Berth.Host.Tests.Orchestration;

/// <summary>A child's output and error lines as they come, in one list.</summary>
internal sealed class ProcessLines
{
    private readonly ObservedList<string> _lines = new();

    public ProcessLines(Process process)
    {
        Output = ReadAsync(process.StandardOutput);
        Error = ReadAsync(process.StandardError);
        Completion = Task.WhenAll(Output, Error)
            .ContinueWith(_ => _lines.Complete($"the process ended:\n{string.Join('\n', Lines)}"), TaskScheduler.Default);
    }

    /// <summary>Completes when both streams have ended.</summary>
    public Task Completion { get; }

    /// <summary>Standard output, whole, once it has ended.</summary>
    public Task<string> Output { get; }

    /// <summary>Standard error, whole, once it has ended.</summary>
    public Task<string> Error { get; }

    public IReadOnlyList<string> Lines => _lines.Items;

    public Task<string> WaitForAsync(Func<string, bool> match) => _lines.WaitForAsync(match);

    private async Task<string> ReadAsync(StreamReader reader)
    {
        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            _lines.Add(line);
            all.AppendLine(line);
        }

        return all.ToString();
    }
}
