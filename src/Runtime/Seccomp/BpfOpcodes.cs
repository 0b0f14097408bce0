namespace Berth.Runtime.Seccomp;

/// <summary>
/// The classic BPF opcodes a seccomp filter uses (<c>linux/bpf_common.h</c>: class | size | mode, or
/// class | operation | source). Seccomp accepts only a subset of classic BPF; these are all in it.
/// </summary>
internal static class BpfOpcodes
{
    /// <summary><c>BPF_LD | BPF_W | BPF_ABS</c>: A = 32-bit word of <c>seccomp_data</c> at offset k.</summary>
    public const ushort LoadWordAbsolute = 0x00 | 0x00 | 0x20;

    /// <summary><c>BPF_ALU | BPF_AND | BPF_K</c>: A &amp;= k.</summary>
    public const ushort AndConstant = 0x04 | 0x50 | 0x00;

    /// <summary><c>BPF_JMP | BPF_JA</c>: jump forward k instructions, a full 32-bit offset.</summary>
    public const ushort JumpAlways = 0x05 | 0x00;

    /// <summary><c>BPF_JMP | BPF_JEQ | BPF_K</c>: A == k.</summary>
    public const ushort JumpIfEqual = 0x05 | 0x10 | 0x00;

    /// <summary><c>BPF_JMP | BPF_JGT | BPF_K</c>: A &gt; k, unsigned.</summary>
    public const ushort JumpIfGreater = 0x05 | 0x20 | 0x00;

    /// <summary><c>BPF_JMP | BPF_JGE | BPF_K</c>: A &gt;= k, unsigned.</summary>
    public const ushort JumpIfGreaterOrEqual = 0x05 | 0x30 | 0x00;

    /// <summary><c>BPF_RET | BPF_K</c>: end the filter, returning k.</summary>
    public const ushort ReturnConstant = 0x06 | 0x00;
}
