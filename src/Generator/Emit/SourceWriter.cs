using System;
using System.Text;

namespace Berth.Generator.Emit;

/// <summary>A small indenting writer for generated C#.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(line).Append('\n');
    }

    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
    }

    /// <summary>Closes a block; <paramref name="suffix"/> follows the brace (";" or ",").</summary>
    public void CloseBlock(string suffix = "")
    {
        _indent = Math.Max(0, _indent - 1);
        WriteLine("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent = Math.Max(0, _indent - 1);

    public override string ToString() => _builder.ToString();
}
