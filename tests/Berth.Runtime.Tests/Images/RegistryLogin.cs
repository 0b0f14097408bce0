using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// What <c>podman login</c> or <c>docker login</c> leaves behind, written by hand: an auth file with
/// <c>auths.KEY.auth</c> = base64 <c>user:password</c>; and a registry's <c>auth: htpasswd:</c> configuration for
/// the one test user (bcrypt, as docker-registry requires: the hash of <see cref="Password"/>, cost 4).
/// </summary>
internal static class RegistryLogin
{
    public const string UserName = "puller";
    public const string Password = "berth-test-s3cret";
    private const string PasswordHash = "$2b$04$M4MzyxaEGPNtS7FctXvkY.dElVuts6HHnOBtH18gMlH0IzPN/5d0q";

    /// <summary>The registry's <c>auth:</c> section, its htpasswd file written into <paramref name="directory"/>.</summary>
    public static string HtpasswdConfig(string directory)
    {
        var file = Path.Combine(directory, "htpasswd");
        File.WriteAllText(file, $"{UserName}:{PasswordHash}\n");
        return $"""
            auth:
              htpasswd:
                realm: berth-test
                path: {file}
            """;
    }

    /// <summary>Writes an auth file with one <c>auth</c> entry per key, and whatever else <paramref name="extra"/> adds at the top level.</summary>
    public static string WriteAuthFile(string path, IReadOnlyDictionary<string, (string User, string Password)> auths, IReadOnlyDictionary<string, object>? extra = null)
    {
        var content = new Dictionary<string, object>(extra ?? new Dictionary<string, object>())
        {
            ["auths"] = auths.ToDictionary(a => a.Key, a => new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{a.Value.User}:{a.Value.Password}")) }),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(content));
        return path;
    }
}
