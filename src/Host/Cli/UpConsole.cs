namespace Berth.Host;

/// <summary>The <c>up</c> command's output: whole lines from many tasks (progress and every replica's output), never interleaved.</summary>
internal sealed class UpConsole(Action<string> writeLine, ConsoleStyle style)
{
    private readonly Lock _lock = new();

    /// <summary>Lines to <paramref name="output"/>, each flushed as it is written.</summary>
    public UpConsole(TextWriter output, ConsoleStyle style)
        : this(
            line =>
            {
                output.WriteLine(line);
                output.Flush();
            },
            style)
    {
    }

    public ConsoleStyle Style { get; } = style;

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            writeLine(line);
        }
    }
}
