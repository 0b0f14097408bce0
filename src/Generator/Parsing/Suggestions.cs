using System;
using System.Collections.Generic;

namespace Berth.Generator.Parsing;

/// <summary>"Did you mean …?" by edit distance, for misspelt keys and values.</summary>
internal static class Suggestions
{
    /// <summary>Returns "; did you mean 'x'?" for the closest candidate, or "" when none is close.</summary>
    public static string DidYouMean(string text, IEnumerable<string> candidates)
    {
        var allowed = Math.Max(1, Math.Min(3, text.Length / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length; skipping those keeps a huge value cheap.
            if (Math.Abs(candidate.Length - text.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= allowed ? $"; did you mean '{best}'?" : string.Empty;
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
