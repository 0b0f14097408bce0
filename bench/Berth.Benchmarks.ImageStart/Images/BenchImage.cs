namespace Berth.Benchmarks.ImageStart.Images;

/// <summary>
/// An image every contender starts: as an OCI layout (what umoci unpacks) and as an OCI archive of the same image
/// (what Berth imports and <c>podman load</c> reads).
/// </summary>
/// <param name="Key">Its name with <c>--images</c>, and in Berth's store.</param>
/// <param name="Description">What it is made of, for the report.</param>
/// <param name="Layout">The OCI layout directory.</param>
/// <param name="Tag">The image's tag in the layout.</param>
/// <param name="Archive">The OCI archive.</param>
internal sealed record BenchImage(string Key, string Description, string Layout, string Tag, string Archive)
{
    /// <summary>The image's size, filled in once Berth has imported it: layers, compressed and unpacked bytes, files.</summary>
    public ImageSize? Size { get; set; }
}

/// <param name="Layers">The number of layers.</param>
/// <param name="ArchiveBytes">The OCI archive's size.</param>
/// <param name="UnpackedBytes">The regular files' bytes in the unpacked layers.</param>
/// <param name="Entries">Files, directories and links in the unpacked layers.</param>
internal sealed record ImageSize(int Layers, long ArchiveBytes, long UnpackedBytes, int Entries)
{
    public static ImageSize Of(IReadOnlyList<string> layerDirectories, string archive)
    {
        var entries = layerDirectories.SelectMany(d => new DirectoryInfo(d).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)).ToList();
        var bytes = entries.OfType<FileInfo>().Where(f => f.LinkTarget is null).Sum(f => f.Length);
        return new ImageSize(layerDirectories.Count, new FileInfo(archive).Length, bytes, entries.Count);
    }
}
