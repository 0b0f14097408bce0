using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Berth.Host.Configuration;

/// <summary>
/// The stack project's .NET user-secrets store: the secrets.json that <c>dotnet user-secrets set</c> writes, at the path
/// Microsoft.Extensions.Configuration.UserSecrets reads (<c>$APPDATA/Microsoft/UserSecrets/ID/secrets.json</c> where
/// APPDATA is set, else <c>~/.microsoft/usersecrets/ID/secrets.json</c>). The directory comes from the host variables
/// passed in rather than from this process's environment, so the store of another home can be read (and tested).
/// Keys are read as .NET configuration reads them: case-insensitive, ':' into nested objects.
/// </summary>
internal sealed class UserSecretsFile
{
    private readonly IConfiguration? _values;
    private readonly string? _problem;

    private UserSecretsFile(string? path, IConfiguration? values, string? problem)
    {
        Path = path;
        _values = values;
        _problem = problem;
    }

    /// <summary>Where the store is (whether or not it exists); null when no home directory is known.</summary>
    public string? Path { get; }

    /// <summary>Locates and reads the store of <paramref name="userSecretsId"/>; a store that cannot be read is remembered, not thrown.</summary>
    public static UserSecretsFile Open(string userSecretsId, Func<string, string?> hostVariable)
    {
        if (userSecretsId.Length == 0 || userSecretsId.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            return new UserSecretsFile(null, null, $"the stack project's UserSecretsId '{userSecretsId}' is not a valid directory name; fix <UserSecretsId> in the project file");
        }

        var path = Locate(userSecretsId, hostVariable);
        if (path is null)
        {
            return new UserSecretsFile(null, null, "no home directory is known for the user-secrets store; set HOME for the process that runs the stack");
        }

        try
        {
            using var stream = File.OpenRead(path);
            var values = new ConfigurationBuilder().AddJsonStream(stream).Build();
            return new UserSecretsFile(path, values, null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new UserSecretsFile(path, null, $"the user-secrets store {path} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UserSecretsFile(path, null, $"the user-secrets store {path} cannot be read ({e.GetType().Name}); give the user that runs the stack read access");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
        {
            // The parser's own message may quote part of the file, which holds secret values: say only where.
            return new UserSecretsFile(path, null, $"the user-secrets store {path} is not valid JSON; fix it, or delete it and set the secrets again with dotnet user-secrets");
        }
    }

    /// <summary>The non-empty value at <paramref name="key"/>, or what keeps it from being read.</summary>
    public (string? Value, string? Problem) Get(string key)
    {
        if (_values is null)
        {
            return (null, _problem);
        }

        return _values[key] switch
        {
            null => (null, $"the user-secrets store {Path} has no key '{key}'"),
            "" => (null, $"the key '{key}' of the user-secrets store {Path} is empty"),
            var value => (value, null),
        };
    }

    private static string? Locate(string userSecretsId, Func<string, string?> hostVariable)
    {
        if (hostVariable("APPDATA") is { Length: > 0 } appData)
        {
            return System.IO.Path.Combine(appData, "Microsoft", "UserSecrets", userSecretsId, "secrets.json");
        }

        var home = hostVariable("HOME") is { Length: > 0 } fromVariable
            ? fromVariable
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : System.IO.Path.Combine(home, ".microsoft", "usersecrets", userSecretsId, "secrets.json");
    }
}
