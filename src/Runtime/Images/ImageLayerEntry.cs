namespace Berth.Runtime.Images;

/// <summary>What a layer built by <see cref="ImageLayerBuilder"/> holds at one path.</summary>
internal enum ImageLayerEntryKind
{
    Directory,
    File,
    SymbolicLink,
}

/// <summary>
/// One entry of a layer being built: a directory, a file (its bytes, or a host file read when the layer is written)
/// or a symbolic link, with its owner and mode. Times are not kept: every entry gets the same fixed time.
/// </summary>
internal sealed record ImageLayerEntry(ImageLayerEntryKind Kind, UnixFileMode Mode, int Uid, int Gid)
{
    public byte[]? Content { get; init; }

    public string? HostFile { get; init; }

    public string? LinkTarget { get; init; }
}
