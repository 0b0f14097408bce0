using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>A reference to content by digest (OCI image-spec descriptor.md); manifests in an index carry a platform.</summary>
public sealed record OciDescriptor
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("digest")]
    public required string Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OciPlatform? Platform { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>The annotation an OCI layout's index uses for a tag.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The digest, checked: a document naming a malformed digest is refused before it names a file.</summary>
    [JsonIgnore]
    public Digest ParsedDigest => Images.Digest.Parse(Digest);
}
