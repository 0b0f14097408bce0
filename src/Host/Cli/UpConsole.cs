namespace Berth.Host;

/// <summary>The <c>up</c> command's output: whole lines from many tasks (progress and every replica's output), never interleaved.</summary>
internal sealed class UpConsole(TextWriter output, ConsoleStyle style)
{
    private readonly Lock _lock = new();

    public ConsoleStyle Style { get; } = style;

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
