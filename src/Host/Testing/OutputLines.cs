using System.Text;

namespace Berth.Host.Testing;

/// <summary>
/// A <see cref="TextWriter"/> (used from one thread at a time) that hands whole lines to a sink such as xUnit's <c>ITestOutputHelper.WriteLine</c>.
/// The sink is best effort: one that throws (xUnit's does once its test has ended, while replicas still write)
/// loses that line and nothing else, so the replicas' output never stops their supervision.
/// </summary>
internal sealed class OutputLines(Action<string> sink) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            EndLine();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        EndLine();
    }

    private void EndLine()
    {
        var line = _line.ToString();
        _line.Clear();
        try
        {
            sink(line);
        }
#pragma warning disable CA1031 // Whatever the sink throws, the line is all that is lost.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
