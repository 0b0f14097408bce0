using System.Security.Cryptography.X509Certificates;

namespace Berth.Runtime.Images;

/// <summary>How <see cref="RegistryClient"/> reaches registries.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>User name and password (or token) by registry as references name it (<c>docker.io</c>, <c>localhost:5000</c>); used for basic auth and to get bearer tokens.</summary>
    public Dictionary<string, RegistryCredentials> Credentials { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Where to look for credentials a registry asks for that <see cref="Credentials"/> lacks: the files
    /// <c>podman login</c>, <c>skopeo login</c> and <c>docker login</c> write (<see cref="RegistryAuthFiles.FromEnvironment"/>).
    /// Null: none.
    /// </summary>
    public RegistryAuthFiles? AuthFiles { get; set; }

    /// <summary>Certificates trusted as roots in addition to the system's: a private registry's self-signed certificate or CA.</summary>
    public X509Certificate2Collection TrustedCertificates { get; } = [];

    /// <summary>The platform picked from a multi-platform image; this machine's by default.</summary>
    public OciPlatform Platform { get; set; } = OciPlatform.Current;

    /// <summary>How long one HTTP request may take to answer (not to download a whole layer).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>A user name and password (or access token) for a registry.</summary>
public sealed record RegistryCredentials(string UserName, string Password)
{
    /// <summary>The file they were read from, for errors that name it; null when given by code.</summary>
    public string? Source { get; init; }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{UserName}:***";
}
