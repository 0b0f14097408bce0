namespace Berth.Runtime.Images;

/// <summary>What an import or pull is doing: bytes of a blob downloaded or unpacked so far.</summary>
/// <param name="Stage">What is being done to the blob.</param>
/// <param name="Blob">The blob (a layer's compressed digest).</param>
/// <param name="Completed">Bytes done.</param>
/// <param name="Total">Bytes in all, where known.</param>
public sealed record ImageProgress(ImageProgressStage Stage, Digest Blob, long Completed, long? Total);

public enum ImageProgressStage
{
    /// <summary>Downloading from a registry; <see cref="ImageProgress.Completed"/> counts a resumed part too.</summary>
    Download,

    /// <summary>Unpacking a layer; counts compressed bytes read.</summary>
    Unpack,

    /// <summary>The blob is in place (downloaded and verified, or unpacked); also sent for what was cached.</summary>
    Done,
}
