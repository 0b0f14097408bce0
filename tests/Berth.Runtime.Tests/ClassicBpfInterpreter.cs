using System.Buffers.Binary;
using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Tests;

/// <summary>
/// Runs a seccomp filter the way the kernel does, on one <see cref="SeccompData"/>, and refuses what the kernel's
/// checker (<c>bpf_check_classic</c> and <c>seccomp_check_filter</c>) would refuse: opcodes outside seccomp's subset,
/// jumps out of the program, loads that are unaligned or outside <c>seccomp_data</c>, or running off the end.
/// </summary>
internal static class ClassicBpfInterpreter
{
    // linux/bpf_common.h
    private const ushort LdWAbs = 0x20;
    private const ushort AluAndK = 0x54;
    private const ushort AluOrK = 0x44;
    private const ushort AluRshK = 0x74;
    private const ushort Ja = 0x05;
    private const ushort JeqK = 0x15;
    private const ushort JgtK = 0x25;
    private const ushort JgeK = 0x35;
    private const ushort JsetK = 0x45;
    private const ushort RetK = 0x06;
    private const ushort RetA = 0x16;
    private const ushort Tax = 0x07;
    private const ushort Txa = 0x87;

    public static SeccompAction Run(IReadOnlyList<BpfInstruction> program, SeccompData data)
    {
        var memory = data.ToBytes();
        uint a = 0, x = 0;
        var pc = 0;
        while (true)
        {
            if (pc < 0 || pc >= program.Count)
                throw new InvalidOperationException($"The filter ran off its end at {pc}.");

            var instruction = program[pc];
            switch (instruction.Code)
            {
                case LdWAbs:
                    if (instruction.K % 4 != 0 || instruction.K > SeccompData.Size - 4)
                        throw new InvalidOperationException($"Load at {pc} reads offset {instruction.K}, which the kernel refuses.");
                    a = BinaryPrimitives.ReadUInt32LittleEndian(memory.AsSpan((int)instruction.K));
                    pc++;
                    break;
                case AluAndK: a &= instruction.K; pc++; break;
                case AluOrK: a |= instruction.K; pc++; break;
                case AluRshK: a >>= (int)instruction.K; pc++; break;
                case Tax: x = a; pc++; break;
                case Txa: a = x; pc++; break;
                case Ja: pc = checked(pc + 1 + (int)instruction.K); break;
                case JeqK: pc += 1 + (a == instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse); break;
                case JgtK: pc += 1 + (a > instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse); break;
                case JgeK: pc += 1 + (a >= instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse); break;
                case JsetK: pc += 1 + ((a & instruction.K) != 0 ? instruction.JumpIfTrue : instruction.JumpIfFalse); break;
                case RetK: return SeccompAction.FromReturnValue(instruction.K);
                case RetA: return SeccompAction.FromReturnValue(a);
                default: throw new InvalidOperationException($"Opcode 0x{instruction.Code:x2} at {pc} is not one this interpreter knows.");
            }
        }
    }

    /// <summary>The static checks the kernel makes before it accepts a filter.</summary>
    public static void Validate(IReadOnlyList<BpfInstruction> program)
    {
        if (program.Count is 0 or > SeccompFilter.MaxInstructions)
            throw new InvalidOperationException($"A filter has 1 to {SeccompFilter.MaxInstructions} instructions, not {program.Count}.");

        for (var pc = 0; pc < program.Count; pc++)
        {
            var instruction = program[pc];
            var targets = instruction.Code switch
            {
                Ja => [(long)pc + 1 + instruction.K],
                JeqK or JgtK or JgeK or JsetK => [pc + 1 + instruction.JumpIfTrue, pc + 1 + instruction.JumpIfFalse],
                _ => Array.Empty<long>(),
            };
            foreach (var target in targets)
            {
                if (target >= program.Count)
                    throw new InvalidOperationException($"The jump at {pc} lands outside the filter ({target}).");
            }
        }

        if (program[^1].Code is not (RetK or RetA))
            throw new InvalidOperationException("A filter must end with a return.");
    }
}
