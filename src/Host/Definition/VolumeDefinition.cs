namespace Berth.Host;

/// <summary>A filesystem mounted into a service's container.</summary>
public sealed record VolumeDefinition
{
    public required VolumeKind Kind { get; init; }

    /// <summary>Bind: host path relative to the stack directory. Named: the volume's name. Tmpfs: null.</summary>
    public string? Source { get; init; }

    /// <summary>Absolute path inside the container.</summary>
    public required string Target { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>For tmpfs: the size limit in bytes, null for the kernel default.</summary>
    public long? SizeBytes { get; init; }
}

public enum VolumeKind
{
    Bind,
    Named,
    Tmpfs,
}
