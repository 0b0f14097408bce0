using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// Registry credentials where <c>skopeo login</c>, <c>podman login</c> and <c>docker login</c> keep them, read as
/// containers/image reads them: the files in order (<see cref="FromEnvironment"/>), the first holding an entry for
/// the registry wins; in a file the most specific key wins (<c>host/team/app</c> over <c>host/team</c> over
/// <c>host</c>); <c>auths.KEY.auth</c> is base64 <c>user:password</c>. Docker's credential helpers
/// (<c>credHelpers</c>, <c>credsStore</c>) are not run: when one is the only source for a registry, the error says so.
/// Files are read only when a registry asks for credentials, so a broken file never stops an anonymous pull.
/// </summary>
public sealed class RegistryAuthFiles
{
    public RegistryAuthFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = [.. paths];
    }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// The files the container tools use, in their order: <c>$REGISTRY_AUTH_FILE</c>;
    /// <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (<c>/run/containers/UID/auth.json</c> without it);
    /// <c>$XDG_CONFIG_HOME/containers/auth.json</c> (<c>~/.config/…</c>); <c>$DOCKER_CONFIG/config.json</c>, else
    /// <c>~/.docker/config.json</c>.
    /// </summary>
    /// <param name="variable">Reads an environment variable: the host's process environment, or a test's.</param>
    public static RegistryAuthFiles FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value : null;
        var home = Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var paths = new List<string>();
        if (Get("REGISTRY_AUTH_FILE") is { } authFile)
            paths.Add(authFile);
        paths.Add(Get("XDG_RUNTIME_DIR") is { } runtime
            ? Path.Combine(runtime, "containers", "auth.json")
            : Path.Combine("/run/containers", ((uint)Tmds.Linux.LibC.geteuid()).ToString(System.Globalization.CultureInfo.InvariantCulture), "auth.json"));
        paths.Add(Path.Combine(Get("XDG_CONFIG_HOME") ?? Path.Combine(home, ".config"), "containers", "auth.json"));
        paths.Add(Get("DOCKER_CONFIG") is { } docker ? Path.Combine(docker, "config.json") : Path.Combine(home, ".docker", "config.json"));
        return new RegistryAuthFiles(paths.Distinct(StringComparer.Ordinal));
    }

    /// <summary>The credentials for <paramref name="reference"/>'s registry and repository, or null when no file has any.</summary>
    /// <exception cref="RegistryException">A file that has an entry for it cannot be read or its entry is malformed (never quoting the entry).</exception>
    public RegistryCredentials? Find(ImageReference reference) => Lookup(reference).Credentials;

    /// <summary>What to do when <paramref name="reference"/>'s registry wants credentials that are not in the files: log in, or why a helper does not count.</summary>
    public string MissingCredentialsFix(ImageReference reference)
    {
        var helper = Lookup(reference).Helper;
        var files = string.Join(", ", Paths);
        return helper is { } h
            ? $"{h.File} leaves the credentials for {reference.Registry} to the credential helper docker-credential-{h.Name}, which Berth does not run; log in so that they are stored in a file instead (`podman login {reference.Registry}`, `skopeo login {reference.Registry}`, or `docker login` with the helper removed); Berth reads {files}"
            : $"log in with `podman login {reference.Registry}`, `skopeo login {reference.Registry}` or `docker login {reference.Registry}`; Berth reads {files}";
    }

    private (RegistryCredentials? Credentials, (string File, string Name)? Helper) Lookup(ImageReference reference)
    {
        (string, string)? helper = null;
        foreach (var path in Paths)
        {
            var file = Read(path);
            if (file is null)
                continue;
            if (file.Value.Auths is { } auths && BestMatch(auths, reference) is { } entry)
                return (Decode(path, entry.Key, entry.Value, reference), null);
            if (helper is null && file.Value.Helpers is { } helpers && helpers.FirstOrDefault(h => SameRegistry(h.Key, reference.Registry)) is { Value: { } name })
                helper = (path, name);
            else if (helper is null && file.Value.Store is { } store)
                helper = (path, store);
        }

        return (null, helper);
    }

    private static (Dictionary<string, JsonElement>? Auths, Dictionary<string, string>? Helpers, string? Store)? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryException($"The registry credentials file {path} cannot be read ({e.GetType().Name}); make it readable by this user or remove it.", innerException: e);
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RegistryException($"The registry credentials file {path} is not a JSON object; log in again to rewrite it, or remove it.");
            Dictionary<string, JsonElement>? auths = null;
            if (root.TryGetProperty("auths", out var a) && a.ValueKind == JsonValueKind.Object)
                auths = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            Dictionary<string, string>? helpers = null;
            if (root.TryGetProperty("credHelpers", out var h) && h.ValueKind == JsonValueKind.Object)
                helpers = h.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            var store = root.TryGetProperty("credsStore", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } value ? value : null;
            return (auths, helpers, store);
        }
        catch (JsonException e)
        {
            // JsonException's message may quote the bytes it stopped at: a piece of a password. Only the place is said.
            throw new RegistryException($"The registry credentials file {path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); log in again to rewrite it, or fix or remove it.", innerException: null);
        }
    }

    /// <summary>The entry whose key names the registry, or the longest that names a namespace the repository is in.</summary>
    private static KeyValuePair<string, JsonElement>? BestMatch(Dictionary<string, JsonElement> auths, ImageReference reference)
    {
        var full = $"{reference.Registry}/{reference.Repository}";
        KeyValuePair<string, JsonElement>? best = null;
        var bestLength = -1;
        foreach (var entry in auths)
        {
            var key = NormalizeKey(entry.Key);
            var matches = key.Equals(reference.Registry, StringComparison.OrdinalIgnoreCase)
                || (key.Contains('/', StringComparison.Ordinal) && (full == key || full.StartsWith(key + "/", StringComparison.Ordinal)));
            if (matches && key.Length > bestLength)
            {
                best = entry;
                bestLength = key.Length;
            }
        }

        return best;
    }

    private static bool SameRegistry(string key, string registry) => NormalizeKey(key).Equals(registry, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A key as references name registries: Docker writes URLs (<c>https://index.docker.io/v1/</c>), which name a
    /// host; containers' tools write <c>host[/namespace…]</c>. Docker Hub's hosts are <c>docker.io</c>.
    /// </summary>
    private static string NormalizeKey(string key)
    {
        var text = key;
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            text = slash < 0 ? text : text[..slash];
        }

        text = text.TrimEnd('/');
        var firstSlash = text.IndexOf('/', StringComparison.Ordinal);
        var host = firstSlash < 0 ? text : text[..firstSlash];
        return host is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com"
            ? ImageReference.DockerHub + text[host.Length..]
            : text;
    }

    private static RegistryCredentials Decode(string path, string key, JsonElement entry, ImageReference reference)
    {
        var where = $"The entry \"{key}\" of {path} (for {reference.Registry})";
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("auth", out var auth) || auth.ValueKind != JsonValueKind.String || auth.GetString() is not { Length: > 0 } encoded)
            throw new RegistryException($"{where} has no \"auth\" (base64 of user:password); log in again to rewrite it.");
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new RegistryException($"{where} has an \"auth\" that is not base64 of user:password; log in again to rewrite it.");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0
            ? throw new RegistryException($"{where} has an \"auth\" that is not base64 of user:password (no user name and ':'); log in again to rewrite it.")
            : new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]) { Source = path };
    }
}
