using System.Text;

namespace Berth.Host.Configuration;

/// <summary>Spells a key of stack.toml as a dotted TOML key (<c>services.catalog.env.LOG_LEVEL</c>) for messages.</summary>
internal static class StackTomlPath
{
    public static string Of(params string[] keys) => string.Join('.', keys.Select(Key));

    // A bare TOML key is ASCII letters, digits, '-' and '_'; anything else ("Catalog:PageSize", "my.var") is quoted,
    // so the path can be pasted back into the file.
    private static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? key : Quote(key);

    private static string Quote(string key)
    {
        var quoted = new StringBuilder("\"", key.Length + 2);
        foreach (var c in key)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
