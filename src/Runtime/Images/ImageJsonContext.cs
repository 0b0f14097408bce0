using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>Source-generated JSON for image documents and the store's records.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciImageConfig))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(List<DockerArchiveManifestEntry>))]
[JsonSerializable(typeof(ManifestProbe))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;

/// <summary>An OCI layout's <c>oci-layout</c> file.</summary>
internal sealed record OciLayoutFile([property: JsonPropertyName("imageLayoutVersion")] string ImageLayoutVersion);

/// <summary>One image of a <c>docker save</c> archive's <c>manifest.json</c>: file names inside the archive.</summary>
internal sealed record DockerArchiveManifestEntry(
    [property: JsonPropertyName("Config")] string Config,
    [property: JsonPropertyName("RepoTags")] IReadOnlyList<string>? RepoTags,
    [property: JsonPropertyName("Layers")] IReadOnlyList<string> Layers);

/// <summary>Just enough of a manifest or index to tell which it is when no media type came with it.</summary>
internal sealed record ManifestProbe(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("manifests")] IReadOnlyList<OciDescriptor>? Manifests,
    [property: JsonPropertyName("layers")] IReadOnlyList<OciDescriptor>? Layers);
