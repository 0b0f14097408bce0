using System.Security.Cryptography;

namespace Berth.Runtime.Images;

/// <summary>
/// A content digest, <c>sha256:</c> and 64 lowercase hex digits: the only algorithm images use in practice and the
/// only one the store accepts, so a digest is always safe to use as a file name.
/// </summary>
public readonly record struct Digest
{
    private const string Prefix = "sha256:";

    private Digest(string hex) => Hex = hex;

    /// <summary>The 64 hex digits.</summary>
    public string Hex { get; }

    /// <summary>Parses <c>sha256:HEX</c>.</summary>
    /// <exception cref="ImageFormatException">Another algorithm, or not 64 lowercase hex digits.</exception>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest
        : throw new ImageFormatException($"\"{text}\" is not a digest: expected sha256: and 64 lowercase hex digits.");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + 64)
            return false;
        var hex = text[Prefix.Length..];
        if (hex.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0)
            return false;
        digest = new Digest(hex);
        return true;
    }

    /// <summary>The digest of what a finished hash computed.</summary>
    public static Digest From(IncrementalHash sha256) => new(Convert.ToHexStringLower(sha256.GetHashAndReset()));

    /// <summary>The digest of some bytes.</summary>
    public static Digest Of(ReadOnlySpan<byte> bytes) => new(Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>The digest of a file's content.</summary>
    public static Digest OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return new Digest(Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    public override string ToString() => Prefix + Hex;
}
