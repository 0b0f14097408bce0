using System;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Berth.Generator.Parsing;

/// <summary>
/// The forms a service's <c>image</c> takes: <c>oci:PATH[:TAG]</c>, <c>oci-archive:PATH</c>, a directory (a path
/// starting with <c>.</c>, <c>/</c> or <c>~</c>, or a plain name that exists next to stack.toml), or a registry
/// reference as the distribution spec writes it (<c>[HOST[:PORT]/]PATH[:TAG][@sha256:HEX]</c>, HOST a domain, an
/// IPv4 address or a bracketed IPv6 address). Only the syntax is checked here: whether a registry has the image is
/// for <c>up</c> to find out.
/// </summary>
internal static class ImageSyntax
{
    private const string Component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";

    private static readonly Regex s_reference = new(
        "^(?:(?<host>(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[(?<ipv6>[a-fA-F0-9:]+)\\])(?::[0-9]+)?)/)?"
        + $"(?<path>{Component}(?:/{Component})*)"
        + $"(?::(?<tag>{Tag}))?"
        + "(?:@(?<digest>sha256:[a-f0-9]{64}))?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex s_tag = new($"^{Tag}$", RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="image"/> is written as a path (<c>./rootfs</c>, <c>/srv/rootfs</c>, <c>~x</c>): always a directory, never a reference.</summary>
    public static bool IsExplicitPath(string image) =>
        image.StartsWith(".", StringComparison.Ordinal) || image.StartsWith("/", StringComparison.Ordinal) || image.StartsWith("~", StringComparison.Ordinal);

    /// <summary>
    /// The path <paramref name="image"/> names when it is a directory (relative to stack.toml), or null for the forms
    /// that never are: <c>oci:</c>, <c>oci-archive:</c> and URLs. A plain name (<c>rootfs/busybox</c>) is a
    /// directory when one exists there, else a registry reference, as the host decides.
    /// </summary>
    public static string? DirectoryPath(string image) =>
        image.StartsWith("oci:", StringComparison.Ordinal) || image.StartsWith("oci-archive:", StringComparison.Ordinal) || image.Contains("://") || image.IndexOf('\0') >= 0
            ? null
            : image;

    /// <summary>Why <paramref name="image"/> is not a valid image, or null when it is.</summary>
    public static string? Problem(string image)
    {
        const string Forms = "use a registry reference (\"docker.io/library/redis:7\"), \"oci:PATH[:TAG]\", \"oci-archive:PATH\" or a directory (\"./rootfs\")";
        if (image.StartsWith("oci:", StringComparison.Ordinal))
        {
            var rest = image.Substring("oci:".Length);
            // Split as the host does (ServiceImageSource): a last ':' with no '/' after it starts the tag.
            var colon = rest.LastIndexOf(':');
            var hasTag = colon > 0 && rest.IndexOf('/', colon) < 0;
            if (hasTag && !s_tag.IsMatch(rest.Substring(colon + 1)))
                return $"'{rest.Substring(colon + 1)}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128)";
            var path = colon == 0 ? "" : hasTag ? rest.Substring(0, colon) : rest;
            return path.Length == 0 ? "oci: needs the path of an OCI image layout directory, as \"oci:./images/app:1.0\"" : null;
        }

        if (image.StartsWith("oci-archive:", StringComparison.Ordinal))
            return image.Length == "oci-archive:".Length ? "oci-archive: needs the path of an archive, as \"oci-archive:./app.tar\"" : null;
        if (IsExplicitPath(image))
            return null;
        if (image.Contains("://"))
            return $"'{image}' has a URL scheme; a registry reference has none ({Forms})";
        if (s_reference.Match(image) is { Success: true } match)
        {
            // The grammar's [a-fA-F0-9:]+ lets "[:::]" through; the host must be a real IPv6 address (no zone).
            return match.Groups["ipv6"] is { Success: true } ipv6 && !IsIPv6Address(ipv6.Value)
                ? $"'[{ipv6.Value}]' is not a valid IPv6 address; write the registry's host as [ADDRESS]:PORT, as \"[::1]:5000/app:1\""
                : null;
        }

        return image.ToLowerInvariant() != image && s_reference.IsMatch(LowercasePath(image))
            ? $"'{image}' has capital letters in its repository path, which registries do not allow"
            : $"'{image}' is not a valid image reference; {Forms}";
    }

    private static bool IsIPv6Address(string text) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static string LowercasePath(string image)
    {
        var slash = image.IndexOf('/');
        var host = slash > 0 && (image.Substring(0, slash).Contains(".") || image.Substring(0, slash).Contains(":")) ? image.Substring(0, slash + 1) : "";
        var rest = image.Substring(host.Length);
        var colon = rest.IndexOf(':');
        return host + (colon < 0 ? rest.ToLowerInvariant() : rest.Substring(0, colon).ToLowerInvariant() + rest.Substring(colon));
    }
}
