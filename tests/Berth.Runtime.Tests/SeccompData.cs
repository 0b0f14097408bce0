using System.Buffers.Binary;
using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Tests;

/// <summary>
/// The kernel's <c>struct seccomp_data</c> for one system call, as the bytes a filter loads from (little-endian, as
/// on x86_64 and aarch64): <c>int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];</c>.
/// </summary>
internal sealed record SeccompData(int Nr, uint Arch, params ulong[] Args)
{
    public const int Size = 64;

    public static SeccompData For(SeccompArchitecture architecture, string syscall, params ulong[] args) =>
        new(SyscallTable.GetNumber(architecture, syscall), (uint)architecture, args);

    public ulong[] Arguments { get; } = Args.Length <= 6
        ? [.. Args, .. new ulong[6 - Args.Length]]
        : throw new ArgumentException("A system call has six arguments at most.", nameof(Args));

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(0), Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Arch);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 0x7f00_0000_1000);
        for (var i = 0; i < 6; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 + (8 * i)), Arguments[i]);
        return bytes;
    }
}
