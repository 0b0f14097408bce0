using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>
/// A name in the store (<c>docker.io/library/redis:7</c>, <c>oci:/srv/images/app:1</c>) and the manifest it stands
/// for; the store keeps every blob and layer a record reaches and may drop the rest.
/// </summary>
public sealed record ImageRecord
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("manifest")]
    public required string ManifestDigest { get; init; }

    /// <summary>What the image was imported from, with a stamp (size and time) telling whether it changed since.</summary>
    [JsonPropertyName("sourceStamp")]
    public string? SourceStamp { get; init; }

    [JsonPropertyName("stored")]
    public DateTimeOffset Stored { get; init; }
}
