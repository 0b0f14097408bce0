using Microsoft.CodeAnalysis.Text;

namespace Berth.Generator.Tests;

/// <summary>
/// A diagnostic carries both an offset span and a line span; the build prints the one, an editor may use the other.
/// They must agree, with lines split at '\n' and columns counted in UTF-16 code units, as editors count them.
/// </summary>
internal static class LocationAssert
{
    public static void Consistent(string text, TextSpan span, LinePositionSpan lines)
    {
        Assert.InRange(span.Start, 0, text.Length);
        Assert.InRange(span.End, span.Start, text.Length);
        Assert.Equal(PositionOf(text, span.Start), lines.Start);
        Assert.Equal(PositionOf(text, span.End), lines.End);
    }

    private static LinePosition PositionOf(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new LinePosition(line, offset - lineStart);
    }
}
