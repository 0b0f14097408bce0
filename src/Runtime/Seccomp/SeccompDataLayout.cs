namespace Berth.Runtime.Seccomp;

/// <summary>
/// Byte offsets in the kernel's <c>struct seccomp_data</c> (<c>linux/seccomp.h</c>), the only memory a seccomp
/// filter can load from: <c>int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];</c>. Loads are 32-bit, so
/// a 64-bit argument is read as two halves; both architectures Berth supports are little-endian, so the low half
/// comes first.
/// </summary>
internal static class SeccompDataLayout
{
    public const uint Nr = 0;
    public const uint Arch = 4;
    public const uint InstructionPointer = 8;
    public const uint Args = 16;
    public const int Size = 64;

    public static uint ArgumentLow(int index) => Args + (8 * (uint)index);

    public static uint ArgumentHigh(int index) => ArgumentLow(index) + 4;
}
