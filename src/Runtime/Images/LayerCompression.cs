using System.IO.Compression;
using ZstdSharp;

namespace Berth.Runtime.Images;

/// <summary>
/// The tar inside a layer blob, decompressed by what its first bytes say (gzip, zstd, or none), not by its media
/// type: Docker archives and some registries label a compressed layer as plain and the other way round.
/// </summary>
internal static class LayerCompression
{
    public static Stream Open(Stream blob)
    {
        var buffered = new BufferedStream(blob, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        var read = Peek(buffered, magic);
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new GZipStream(buffered, CompressionMode.Decompress);
        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            return new DecompressionStream(buffered);
        return buffered;
    }

    // BufferedStream has no peek: read into its buffer, then seek back within it (supported while the blob stream
    // itself seeks, which a file does). A network stream is first written to the store as a blob, never unpacked live.
    private static int Peek(BufferedStream stream, Span<byte> bytes)
    {
        var start = stream.Position;
        var total = 0;
        while (total < bytes.Length)
        {
            var read = stream.Read(bytes[total..]);
            if (read == 0)
                break;
            total += read;
        }

        stream.Position = start;
        return total;
    }
}
