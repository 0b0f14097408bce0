using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>Where an image runs: <c>linux/amd64</c>, <c>linux/arm64</c> (OCI and Go names).</summary>
public sealed record OciPlatform
{
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    [JsonPropertyName("os")]
    public required string Os { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    /// <summary>This machine's platform: <c>linux/amd64</c> or <c>linux/arm64</c>.</summary>
    public static OciPlatform Current => new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        },
    };

    /// <summary>Whether an image for <paramref name="other"/> runs here (an arm64 variant other than v8 does not).</summary>
    public bool Matches(OciPlatform? other) =>
        other is not null
        && string.Equals(other.Os, Os, StringComparison.Ordinal)
        && string.Equals(other.Architecture, Architecture, StringComparison.Ordinal)
        && (Architecture != "arm64" || other.Variant is null or "v8");

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
