using Microsoft.CodeAnalysis.Text;

namespace Berth.Generator.Model;

/// <summary>A place in stack.toml. Plain values, so diagnostics stay equatable; Roslyn Locations are made only when reporting.</summary>
internal readonly record struct SourceLocation(TextSpan Span, LinePositionSpan LineSpan)
{
    public static readonly SourceLocation FileStart = new(new TextSpan(0, 0), new LinePositionSpan(new LinePosition(0, 0), new LinePosition(0, 0)));

    /// <summary>One-based line, as editors and build output show it.</summary>
    public int Line => LineSpan.Start.Line + 1;

    /// <summary>One-based column, as editors and build output show it.</summary>
    public int Column => LineSpan.Start.Character + 1;
}
