namespace Berth.Host;

/// <summary>A stack secret and where its value comes from in this environment. Never holds the value itself.</summary>
public sealed record SecretDefinition(string Name, SecretSourceKind SourceKind, string Source);

public enum SecretSourceKind
{
    /// <summary>A file, relative to the stack directory.</summary>
    File,

    /// <summary>A variable of the host's environment.</summary>
    Env,

    /// <summary>A key in the stack project's .NET user-secrets store.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("user_secret")]
    UserSecret,
}
