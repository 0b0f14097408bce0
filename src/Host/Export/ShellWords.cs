namespace Berth.Host.Export;

/// <summary>Words of the shell commands an export tells a person to run, quoted where they need it.</summary>
internal static class ShellWords
{
    /// <summary>Quotes <paramref name="word"/> for a POSIX shell when it holds anything but characters that need no quoting.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '=' or '@' or '+' or ',')
            ? word
            : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
