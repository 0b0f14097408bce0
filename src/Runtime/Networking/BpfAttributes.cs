using System.Runtime.InteropServices;

namespace Berth.Runtime.Networking;

/// <summary>
/// The parts of the kernel's <c>union bpf_attr</c> (<c>linux/bpf.h</c>) that <see cref="BpfSyscall"/> passes, one
/// layout per command. Each is the full <see cref="Size"/> bytes and starts zeroed: the kernel requires every byte
/// past the fields a command knows to be zero, and zero is "unset" for every field not written here.
/// </summary>
internal static class BpfAttributes
{
    /// <summary>What is passed to <c>bpf(2)</c>; more than every field used here, less than the kernel's union.</summary>
    public const int Size = 128;

    /// <summary><c>BPF_OBJ_NAME_LEN</c>: a map's or program's name, NUL included, as <c>bpftool</c> shows it.</summary>
    public const int NameLength = 16;

    /// <summary>BPF_MAP_CREATE.</summary>
    [StructLayout(LayoutKind.Explicit, Size = Size)]
    public unsafe struct MapCreate
    {
        [FieldOffset(0)] public uint MapType;
        [FieldOffset(4)] public uint KeySize;
        [FieldOffset(8)] public uint ValueSize;
        [FieldOffset(12)] public uint MaxEntries;
        [FieldOffset(16)] public uint MapFlags;

        // inner_map_fd (20) and numa_node (24) stay 0.
        [FieldOffset(28)] public fixed byte MapName[NameLength];
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM.</summary>
    [StructLayout(LayoutKind.Explicit, Size = Size)]
    public struct MapElement
    {
        [FieldOffset(0)] public uint MapFd;

        /// <summary>Pointers travel as <c>__aligned_u64</c>.</summary>
        [FieldOffset(8)] public ulong Key;
        [FieldOffset(16)] public ulong Value;
        [FieldOffset(24)] public ulong Flags;
    }

    /// <summary>BPF_PROG_LOAD.</summary>
    [StructLayout(LayoutKind.Explicit, Size = Size)]
    public unsafe struct ProgramLoad
    {
        [FieldOffset(0)] public uint ProgramType;
        [FieldOffset(4)] public uint InstructionCount;
        [FieldOffset(8)] public ulong Instructions;
        [FieldOffset(16)] public ulong License;
        [FieldOffset(24)] public uint LogLevel;
        [FieldOffset(28)] public uint LogSize;
        [FieldOffset(32)] public ulong LogBuffer;

        // kern_version (40) and prog_flags (44) stay 0.
        [FieldOffset(48)] public fixed byte ProgramName[NameLength];

        // prog_ifindex (64) stays 0.

        /// <summary>Some program types, sk_lookup among them, must name their attach point when loaded.</summary>
        [FieldOffset(68)] public uint ExpectedAttachType;
    }

    /// <summary>BPF_LINK_CREATE.</summary>
    [StructLayout(LayoutKind.Explicit, Size = Size)]
    public struct LinkCreate
    {
        [FieldOffset(0)] public uint ProgramFd;

        /// <summary>For an sk_lookup program: a network namespace file.</summary>
        [FieldOffset(4)] public uint TargetFd;
        [FieldOffset(8)] public uint AttachType;
        [FieldOffset(12)] public uint Flags;
    }

    /// <summary>Copies <paramref name="name"/> (ASCII, shortened to fit with its NUL) into a name field.</summary>
    public static unsafe void WriteName(byte* field, string name)
    {
        var span = new Span<byte>(field, NameLength);
        span.Clear();
        for (var i = 0; i < Math.Min(name.Length, NameLength - 1); i++)
        {
            // The kernel accepts letters, digits, '_' and '.' only.
            span[i] = char.IsAsciiLetterOrDigit(name[i]) || name[i] == '.' ? (byte)name[i] : (byte)'_';
        }
    }
}
