using System.Collections.Immutable;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// A compiled filter travels to the container's init as numbers, so the init installs it without compiling
/// the profile again: code in bits 0-15, jt in 16-23, jf in 24-31, k in 32-63.
/// </summary>
internal static class BpfInstructionPacking
{
    public static IReadOnlyList<ulong> Pack(SeccompFilter filter) =>
        filter.Instructions.Select(i => i.Code | ((ulong)i.JumpIfTrue << 16) | ((ulong)i.JumpIfFalse << 24) | ((ulong)i.K << 32)).ToList();

    public static SeccompFilter Unpack(IReadOnlyList<ulong> packed) => new(
        SyscallTable.CurrentArchitecture,
        packed.Select(p => new BpfInstruction((ushort)p, (byte)(p >> 16), (byte)(p >> 24), (uint)(p >> 32))).ToImmutableArray(),
        ImmutableSortedSet<string>.Empty,
        ImmutableSortedSet<string>.Empty,
        ImmutableSortedSet<string>.Empty);
}
