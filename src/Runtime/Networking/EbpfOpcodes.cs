namespace Berth.Runtime.Networking;

/// <summary>
/// The eBPF opcodes the steering program uses (<c>linux/bpf.h</c>, <c>linux/bpf_common.h</c>): class | size | mode
/// for memory access, class | operation | source for arithmetic and jumps. ALU64 and JMP work on whole 64-bit
/// registers; <c>K</c> takes the immediate as operand, <c>X</c> the source register.
/// </summary>
internal static class EbpfOpcodes
{
    /// <summary><c>BPF_ALU64 | BPF_MOV | BPF_X</c>: dst = src.</summary>
    public const byte MoveRegister = 0x07 | 0xb0 | 0x08;

    /// <summary><c>BPF_ALU64 | BPF_MOV | BPF_K</c>: dst = imm (sign-extended).</summary>
    public const byte MoveImmediate = 0x07 | 0xb0 | 0x00;

    /// <summary><c>BPF_ALU64 | BPF_ADD | BPF_K</c>: dst += imm (sign-extended).</summary>
    public const byte AddImmediate = 0x07 | 0x00 | 0x00;

    /// <summary><c>BPF_LDX | BPF_MEM | BPF_W</c>: dst = *(u32 *)(src + off).</summary>
    public const byte LoadWord = 0x01 | 0x60 | 0x00;

    /// <summary><c>BPF_STX | BPF_MEM | BPF_W</c>: *(u32 *)(dst + off) = src.</summary>
    public const byte StoreWord = 0x03 | 0x60 | 0x00;

    /// <summary>
    /// <c>BPF_LD | BPF_IMM | BPF_DW</c>: dst = a 64-bit immediate spread over two instructions (low half in the
    /// first's imm, high half in the second's). With src = <see cref="PseudoMapDescriptor"/> the immediate is a
    /// map's descriptor, which the kernel replaces by the map's address when it loads the program.
    /// </summary>
    public const byte LoadImmediate64 = 0x00 | 0x00 | 0x18;

    /// <summary><c>BPF_PSEUDO_MAP_FD</c>, in the source register field of <see cref="LoadImmediate64"/>.</summary>
    public const EbpfRegister PseudoMapDescriptor = (EbpfRegister)1;

    /// <summary><c>BPF_JMP | BPF_JEQ | BPF_K</c>: if dst == imm, jump off instructions forward.</summary>
    public const byte JumpIfEqual = 0x05 | 0x10 | 0x00;

    /// <summary><c>BPF_JMP | BPF_JNE | BPF_K</c>: if dst != imm, jump off instructions forward.</summary>
    public const byte JumpIfNotEqual = 0x05 | 0x50 | 0x00;

    /// <summary><c>BPF_JMP | BPF_CALL</c>: R0 = helper number imm (R1–R5).</summary>
    public const byte Call = 0x05 | 0x80;

    /// <summary><c>BPF_JMP | BPF_EXIT</c>: return R0.</summary>
    public const byte Exit = 0x05 | 0x90;
}
