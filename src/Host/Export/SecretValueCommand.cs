namespace Berth.Host.Export;

/// <summary>
/// The shell command that prints a secret's value from its source in the stack's environment, for the instructions
/// that say how to create the target's secrets. Run in the stack's directory, where its relative paths and its
/// user-secrets store are. The export itself never reads a value.
/// </summary>
internal static class SecretValueCommand
{
    public static string For(SecretDefinition secret) => secret.SourceKind switch
    {
        SecretSourceKind.File => $"cat {ShellWords.Quote(secret.Source)}",
        SecretSourceKind.Env => $"printf '%s' \"${secret.Source}\"",
        SecretSourceKind.UserSecret => $"printf '%s' \"$(dotnet user-secrets list | sed -n {ShellWords.Quote($"s/^{SedLiteral(secret.Source)} = //p")})\"",
        _ => throw new ArgumentOutOfRangeException(nameof(secret), secret.SourceKind, "Unknown secret source."),
    };

    /// <summary>How stack.toml spells the source, for the instructions: <c>env = "SHOP_DB_PASSWORD"</c>.</summary>
    public static string Describe(SecretDefinition secret) => secret.SourceKind switch
    {
        SecretSourceKind.File => $"file = \"{secret.Source}\"",
        SecretSourceKind.Env => $"env = \"{secret.Source}\"",
        _ => $"user_secret = \"{secret.Source}\"",
    };

    /// <summary>The secrets some service lists, in declaration order: the only ones a deployment needs.</summary>
    public static IReadOnlyList<SecretDefinition> Used(StackDefinition stack) =>
        stack.Secrets.Where(secret => stack.Services.Any(s => s.Secrets.Contains(secret.Name))).ToList();

    private static string SedLiteral(string text) =>
        string.Concat(text.Select(c => c is '.' or '[' or ']' or '*' or '^' or '$' or '\\' or '/' ? $"\\{c}" : c.ToString()));
}
