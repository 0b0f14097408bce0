namespace Berth.Generator.Parsing;

/// <summary>Checks Compose-style interpolation syntax: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?msg}, ${VAR?msg}, $VAR, $$.</summary>
internal static class Interpolation
{
    /// <summary>Returns null when <paramref name="text"/> is well formed, else what is wrong.</summary>
    public static string? Validate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i == text.Length - 1)
            {
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                i++;
                continue;
            }

            if (next != '{')
            {
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                return $"'${{' at position {i + 1} is never closed with '}}'";
            }

            var body = text.Substring(i + 2, close - i - 2);
            var nameLength = 0;
            while (nameLength < body.Length && (char.IsLetterOrDigit(body[nameLength]) || body[nameLength] == '_'))
            {
                nameLength++;
            }

            if (nameLength == 0 || char.IsDigit(body[0]))
            {
                return $"'${{{body}}}' does not start with a variable name";
            }

            var rest = body.Substring(nameLength);
            if (rest.Length > 0 && !(rest.StartsWith(":-") || rest.StartsWith("-") || rest.StartsWith(":?") || rest.StartsWith("?") || rest.StartsWith(":+") || rest.StartsWith("+")))
            {
                return $"'${{{body}}}' has '{rest}' after the variable name";
            }

            i = close;
        }

        return null;
    }
}
