using System.Globalization;
using System.Text;

namespace Berth.Host.Export.Compose;

/// <summary>Berth's values as Compose spells them.</summary>
internal static class ComposeValues
{
    private static readonly (long Factor, string Suffix)[] s_units = [(1L << 30, "g"), (1L << 20, "m"), (1L << 10, "k")];

    /// <summary>Compose interpolates every string of the file; a literal '$' is written "$$".</summary>
    public static string Literal(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    /// <summary>
    /// An <c>env</c> value for Compose to interpolate when it runs, as Berth does: references stay as written; a '$'
    /// that starts none (Berth keeps "$1" as text, Compose would reject it) is doubled.
    /// </summary>
    public static string Interpolated(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c != '$')
            {
                result.Append(c);
            }
            else if (next == '$')
            {
                result.Append("$$");
                i++;
            }
            else if (next == '{' || char.IsAsciiLetter(next) || next == '_')
            {
                result.Append('$');
            }
            else
            {
                result.Append("$$");
            }
        }

        return result.ToString();
    }

    /// <summary>Bytes in Docker's binary units ("512m", "1g"), exactly: the largest unit that divides them, else bytes.</summary>
    public static string Bytes(long bytes)
    {
        foreach (var (factor, suffix) in s_units)
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    public static string Cpus(double cores) => cores.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) => DurationJsonConverter.Format(duration);

    public static string Restart(RestartPolicy restart) => restart switch
    {
        RestartPolicy.No => "no",
        RestartPolicy.OnFailure => "on-failure",
        RestartPolicy.Always => "always",
        _ => "unless-stopped",
    };

    public static string Condition(DependencyCondition condition) => condition switch
    {
        DependencyCondition.Started => "service_started",
        DependencyCondition.Healthy => "service_healthy",
        _ => "service_completed_successfully",
    };
}
