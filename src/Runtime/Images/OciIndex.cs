using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>An image index (OCI) or manifest list (Docker): manifests for several platforms, or an OCI layout's tags.</summary>
public sealed record OciIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public required IReadOnlyList<OciDescriptor> Manifests { get; init; }
}
