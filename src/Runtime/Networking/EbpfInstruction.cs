using System.Runtime.InteropServices;

namespace Berth.Runtime.Networking;

/// <summary>
/// One eBPF instruction, laid out exactly as the kernel's <c>struct bpf_insn</c> (<c>linux/bpf.h</c>): an 8-bit
/// opcode, the destination register in the low four bits and the source register in the high four bits of one
/// byte (the bit-field order of little-endian machines, the only ones this runtime supports), a signed 16-bit
/// offset (memory displacement, or jump distance counted from the next instruction) and a signed 32-bit immediate.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct EbpfInstruction(byte Code, byte Registers, short Offset, int Immediate)
{
    public EbpfInstruction(byte code, EbpfRegister destination, EbpfRegister source, short offset, int immediate)
        : this(code, (byte)(((int)source << 4) | (int)destination), offset, immediate)
    {
    }

    public EbpfRegister Destination => (EbpfRegister)(Registers & 0x0f);

    public EbpfRegister Source => (EbpfRegister)(Registers >> 4);

    /// <inheritdoc />
    public override string ToString() => $"{{ 0x{Code:x2}, dst r{(int)Destination}, src r{(int)Source}, off {Offset}, imm {Immediate} }}";
}
