using System.Text;

namespace Berth.Generator.Parsing;

/// <summary>Turns stack.toml names into C# identifiers: "payments-api" → "PaymentsApi".</summary>
internal static class Identifiers
{
    /// <summary>
    /// A name must start with a letter and hold only ASCII letters and digits, with single '-' or '_' between
    /// them; that keeps it a valid host name part, file name and (in PascalCase) C# identifier.
    /// </summary>
    public static bool IsValidName(string name, out string reason)
    {
        reason = string.Empty;
        if (name.Length == 0)
        {
            reason = "it is empty";
            return false;
        }

        if (!IsAsciiLetter(name[0]))
        {
            reason = "it must start with a letter (a-z, A-Z)";
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '-' or '_')
            {
                if (i == name.Length - 1 || name[i + 1] is '-' or '_')
                {
                    reason = $"'{c}' must stand between letters or digits";
                    return false;
                }
            }
            else if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9'))
            {
                reason = $"'{c}' is not allowed; use letters, digits, '-' and '_'";
                return false;
            }
        }

        if (name.Length > 63)
        {
            reason = "it is longer than 63 characters";
            return false;
        }

        return true;
    }

    public static string ToPascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is '-' or '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
