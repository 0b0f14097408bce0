using System.Text.RegularExpressions;

namespace Berth.Runtime.Images;

/// <summary>
/// A registry image reference, normalized as Docker does: <c>redis</c> is <c>docker.io/library/redis:latest</c>,
/// <c>me/app:1</c> is <c>docker.io/me/app:1</c>, <c>host:5000/team/app@sha256:…</c> names a registry (a first
/// component with a <c>.</c> or <c>:</c>, or <c>localhost</c>) and a digest. A reference with a digest pulls that
/// digest; its tag, if any, is only part of the name.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>Docker Hub's name in references.</summary>
    public const string DockerHub = "docker.io";

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry's host and optional port, as written (<c>docker.io</c> for Docker Hub).</summary>
    public string Registry { get; }

    /// <summary>The repository path: <c>library/redis</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag; <c>latest</c> when neither a tag nor a digest was given.</summary>
    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>What to ask the registry for: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag!;

    /// <summary>The host the distribution API is at: Docker Hub's is <c>registry-1.docker.io</c>.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>Whether the registry is this machine (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>), where plain HTTP is allowed as Docker allows it.</summary>
    public bool IsLoopback
    {
        get
        {
            var host = Registry.StartsWith('[') ? Registry[..(Registry.IndexOf(']') + 1)] : Registry.Split(':')[0];
            return host is "localhost" or "127.0.0.1" or "[::1]";
        }
    }

    /// <summary>Parses and normalizes a reference.</summary>
    /// <exception cref="ImageFormatException">Not a reference, naming what is wrong.</exception>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = Images.Digest.TryParse(rest[(at + 1)..], out var parsed) ? parsed
                : throw new ImageFormatException($"\"{text}\" is not an image reference: \"{rest[(at + 1)..]}\" after @ is not a sha256: digest.");
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && rest.IndexOf('/', colon) < 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
                throw new ImageFormatException($"\"{text}\" is not an image reference: the tag \"{tag}\" is not letters, digits, _ . - (at most 128, not starting with . or -).");
        }

        var slash = rest.IndexOf('/');
        var first = slash < 0 ? null : rest[..slash];
        string registry, repository;
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.StartsWith('[')))
        {
            registry = first == "index.docker.io" ? DockerHub : first;
            repository = rest[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = rest;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
            repository = "library/" + repository;
        if (!RepositoryPattern().IsMatch(repository))
            throw new ImageFormatException(
                $"\"{text}\" is not an image reference: the repository \"{repository}\" must be lowercase letters and digits, separated by / . _ __ or -, like docker.io/library/redis:7 or localhost:5000/team/app.");
        if (registry != DockerHub && (!RegistryPattern().IsMatch(registry) || (registry.StartsWith('[') && !IsIPv6Address(registry[1..registry.IndexOf(']')]))))
            throw new ImageFormatException($"\"{text}\" is not an image reference: \"{registry}\" is not a registry host[:port].");
        return new ImageReference(registry, repository, tag ?? (digest is null ? "latest" : null), digest);
    }

    /// <summary>The normalized reference: <c>docker.io/library/redis:latest</c>.</summary>
    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";

    private static bool IsIPv6Address(string text) =>
        System.Net.IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();
}
