using System.Runtime.InteropServices;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// One classic BPF instruction, laid out exactly as the kernel's <c>struct sock_filter</c> (<c>linux/filter.h</c>):
/// a 16-bit opcode, the forward jump offsets taken when a conditional jump is true or false (8 bits each, counted
/// from the next instruction), and a 32-bit constant.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction(ushort Code, byte JumpIfTrue, byte JumpIfFalse, uint K)
{
    /// <summary>The largest offset a conditional jump can encode; farther targets need an unconditional <c>ja</c>.</summary>
    public const int MaxConditionalJump = byte.MaxValue;

    /// <inheritdoc />
    public override string ToString() => $"{{ 0x{Code:x2}, {JumpIfTrue}, {JumpIfFalse}, 0x{K:x8} }}";
}
