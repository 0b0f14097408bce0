using System;
using System.Globalization;

namespace Berth.Generator.Parsing;

/// <summary>Parses the unit-bearing strings of stack.toml: sizes ("256MiB"), durations ("1m30s").</summary>
internal static class ValueParsers
{
    /// <summary>
    /// Sizes as Compose and Kubernetes users write them: binary units KiB/MiB/GiB/TiB (and Docker's k/m/g),
    /// decimal units KB/MB/GB/TB, plain B. A bare number is bytes.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && char.IsDigit(s[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(s.Substring(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long multiplier;
        switch (s.Substring(digits).Trim().ToLowerInvariant())
        {
            case "":
            case "b":
                multiplier = 1;
                break;
            case "k":
            case "kib":
                multiplier = 1L << 10;
                break;
            case "m":
            case "mib":
                multiplier = 1L << 20;
                break;
            case "g":
            case "gib":
                multiplier = 1L << 30;
                break;
            case "t":
            case "tib":
                multiplier = 1L << 40;
                break;
            case "kb":
                multiplier = 1000;
                break;
            case "mb":
                multiplier = 1000 * 1000;
                break;
            case "gb":
                multiplier = 1000L * 1000 * 1000;
                break;
            case "tb":
                multiplier = 1000L * 1000 * 1000 * 1000;
                break;
            default:
                return false;
        }

        if (number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return bytes > 0;
    }

    /// <summary>Go-style durations as Compose writes them: "10s", "1m30s", "500ms", "1h", "250us".</summary>
    public static bool TryParseDuration(string text, out long milliseconds)
    {
        milliseconds = 0;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (s == "0")
        {
            return true;
        }

        double total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.Substring(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsLetter(s[i]))
            {
                i++;
            }

            double scale;
            switch (s.Substring(unitStart, i - unitStart))
            {
                case "h":
                    scale = 3_600_000;
                    break;
                case "m":
                    scale = 60_000;
                    break;
                case "s":
                    scale = 1_000;
                    break;
                case "ms":
                    scale = 1;
                    break;
                case "us":
                case "µs":
                    scale = 0.001;
                    break;
                default:
                    return false;
            }

            total += value * scale;
        }

        if (total > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        milliseconds = (long)Math.Round(total);
        return true;
    }
}
