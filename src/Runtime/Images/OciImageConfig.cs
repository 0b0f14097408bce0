using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>An image's configuration blob (OCI image-spec config.md): how to run it and the digests of its unpacked layers.</summary>
public sealed record OciImageConfig
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("created")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Created { get; init; }

    [JsonPropertyName("config")]
    public OciRunConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public required OciRootfs Rootfs { get; init; }
}

/// <summary>The run settings of an image config (<c>config</c>): what Compose and Kubernetes override.</summary>
public sealed record OciRunConfig
{
    [JsonPropertyName("User")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonPropertyName("ExposedPorts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObject>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("WorkingDir")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; init; }
}

/// <summary>The config's <c>rootfs</c>: the sha256 of each layer's uncompressed tar (its diff id), bottom first.</summary>
public sealed record OciRootfs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public required IReadOnlyList<string> DiffIds { get; init; }
}

/// <summary>The <c>{}</c> values of <c>ExposedPorts</c> and <c>Volumes</c>.</summary>
public sealed record EmptyObject;
