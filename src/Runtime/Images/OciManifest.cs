using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>An image manifest (OCI, or Docker schema 2, which has the same shape): a config and layers, bottom first.</summary>
public sealed record OciManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public required OciDescriptor Config { get; init; }

    [JsonPropertyName("layers")]
    public required IReadOnlyList<OciDescriptor> Layers { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; init; }
}
