using System.Text;

namespace Berth.Host.Configuration;

/// <summary>
/// Substitutes host variables into an <c>env</c> value the way Docker Compose does: <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR-default}</c>, <c>${VAR:?message}</c>, <c>${VAR?message}</c>, <c>${VAR:+other}</c>, <c>${VAR+other}</c>,
/// <c>$VAR</c> and <c>$$</c>. The generator checked the syntax at compile time; definitions built by hand were not, so
/// a malformed reference is reported here too rather than passed through.
/// </summary>
internal static class ComposeInterpolation
{
    /// <summary>Something that keeps a value from being substituted; <see cref="Variable"/> is null for a syntax error.</summary>
    public sealed record Problem(string? Variable, string Description);

    /// <summary>Returns <paramref name="text"/> with its variables substituted, adding to <paramref name="problems"/> what failed.</summary>
    public static string Apply(string text, Func<string, string?> variable, ICollection<Problem> problems)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i == text.Length - 1)
            {
                result.Append(text[i]);
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i++;
            }
            else if (next == '{')
            {
                var close = FindClose(text, i + 2);
                if (close < 0)
                {
                    problems.Add(new Problem(null, $"'${{' at position {i + 1} is never closed with '}}'"));
                    return result.ToString();
                }

                result.Append(Braced(text[(i + 2)..close], variable, problems));
                i = close;
            }
            else if (IsNameStart(next))
            {
                var end = NameEnd(text, i + 1);
                result.Append(variable(text[(i + 1)..end]));
                i = end - 1;
            }
            else
            {
                // "$1", "$ " and the like: not a reference. Compose rejects them; the generator accepts them as text,
                // so they stay text here and a stack that compiled keeps its meaning.
                result.Append('$');
            }
        }

        return result.ToString();
    }

    /// <summary>The body of <c>${...}</c>: a name, then nothing or an operator and its word.</summary>
    private static string Braced(string body, Func<string, string?> variable, ICollection<Problem> problems)
    {
        var nameEnd = body.Length > 0 && IsNameStart(body[0]) ? NameEnd(body, 0) : 0;
        if (nameEnd == 0)
        {
            problems.Add(new Problem(null, $"'${{{body}}}' does not start with a variable name"));
            return "";
        }

        var name = body[..nameEnd];
        var rest = body[nameEnd..];
        var value = variable(name);
        var setAndNotEmpty = !string.IsNullOrEmpty(value);

        // The word after an operator is interpolated only when it is used, so ${A:-${B:?...}} needs B only without A.
        string Word(int operatorLength) => Apply(rest[operatorLength..], variable, problems);

        if (rest.Length == 0)
        {
            return value ?? "";
        }

        if (rest.StartsWith(":-", StringComparison.Ordinal))
        {
            return setAndNotEmpty ? value! : Word(2);
        }

        if (rest.StartsWith(":?", StringComparison.Ordinal))
        {
            return setAndNotEmpty ? value! : Required(name, value, rest[2..], problems);
        }

        if (rest.StartsWith(":+", StringComparison.Ordinal))
        {
            return setAndNotEmpty ? Word(2) : "";
        }

        return rest[0] switch
        {
            '-' => value ?? Word(1),
            '?' => value ?? Required(name, value, rest[1..], problems),
            '+' => value is null ? "" : Word(1),
            _ => Malformed(body, rest, problems),
        };
    }

    private static string Required(string name, string? value, string message, ICollection<Problem> problems)
    {
        var state = value is null ? "is not set" : "is empty";
        problems.Add(new Problem(name, message.Length > 0 ? $"variable {name} {state}: {message}" : $"required variable {name} {state}"));
        return "";
    }

    private static string Malformed(string body, string rest, ICollection<Problem> problems)
    {
        problems.Add(new Problem(null, $"'${{{body}}}' has '{rest}' after the variable name"));
        return "";
    }

    /// <summary>The '}' that closes a '${' whose body starts at <paramref name="start"/>, skipping nested <c>${...}</c>.</summary>
    private static int FindClose(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && (text[i + 1] == '$' || text[i + 1] == '{'))
            {
                depth += text[i + 1] == '{' ? 1 : 0;
                i++;
            }
            else if (text[i] == '}')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
        }

        return -1;
    }

    // The generator's rule: a name starts with a letter or '_' and goes on with letters, digits and '_'.
    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static int NameEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end;
    }
}
