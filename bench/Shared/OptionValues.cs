using System.Globalization;

namespace Berth.Benchmarks.Shared;

/// <summary>Reading the values of command-line options; a bad value is a <see cref="FormatException"/> that says what was expected. Shared by the benchmark harnesses.</summary>
internal static class OptionValues
{
    public static int Count(string text, string option, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new FormatException($"{option} takes a whole number of at least {minimum}, not '{text}'");

    /// <summary>A comma-separated, non-empty list of some of <paramref name="keys"/> (<c>--only</c>).</summary>
    public static HashSet<string> Subset(string list, string option, IReadOnlyList<string> keys)
    {
        var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = chosen.Except(keys).ToList();
        return unknown.Count == 0 && chosen.Count > 0
            ? chosen
            : throw new FormatException($"{option} takes some of {string.Join(", ", keys)}; unknown: {string.Join(", ", unknown)}");
    }
}
