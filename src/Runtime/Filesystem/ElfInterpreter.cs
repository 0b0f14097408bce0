using System.Buffers.Binary;
using System.Text;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// The ELF interpreter (dynamic loader) an executable names in its <c>PT_INTERP</c> header, e.g.
/// <c>/lib64/ld-linux-x86-64.so.2</c>: the kernel opens exactly that path in the container when the executable
/// starts, so it must resolve there.
/// </summary>
public static class ElfInterpreter
{
    private const uint PtInterp = 3;

    /// <summary>The interpreter path of a 64-bit little-endian ELF executable; null when it has none or is not one.</summary>
    public static string? Read(string executable)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        using var file = File.OpenRead(executable);
        Span<byte> header = stackalloc byte[64];
        if (file.Read(header) < header.Length)
            return null;

        // e_ident: "\x7fELF", EI_CLASS 2 (64-bit), EI_DATA 1 (little-endian).
        if (!header[..4].SequenceEqual("\u007fELF"u8) || header[4] != 2 || header[5] != 1)
            return null;

        var programHeaderOffset = BinaryPrimitives.ReadInt64LittleEndian(header[0x20..]);
        var programHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
        var programHeaderCount = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
        if (programHeaderSize < 56)
            return null;

        var entry = new byte[programHeaderSize];
        for (var i = 0; i < programHeaderCount; i++)
        {
            file.Position = programHeaderOffset + (long)i * programHeaderSize;
            if (file.Read(entry) < entry.Length)
                return null;
            if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != PtInterp)
                continue;

            // Elf64_Phdr: p_type, p_flags, p_offset (8), p_vaddr, p_paddr, p_filesz (32).
            var offset = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(8));
            var size = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(32));
            if (size is <= 1 or > 4096)
                return null;

            var path = new byte[size];
            file.Position = offset;
            file.ReadExactly(path);
            return Encoding.UTF8.GetString(path).TrimEnd('\0');
        }

        return null;
    }
}
