namespace Berth.Runtime.Networking;

/// <summary>
/// Assembles a short eBPF program, one method per instruction, with forward jumps to labels resolved to the 16-bit
/// offsets jumps carry. Only what the steering program needs; the kernel's verifier checks the rest (types,
/// bounds, references) when the program is loaded.
/// </summary>
internal sealed class EbpfProgramBuilder
{
    private readonly List<EbpfInstruction> _instructions = [];
    private readonly ForwardLabels _labels = new();
    private readonly List<(int At, int Label)> _jumps = [];

    public int NewLabel() => _labels.New();

    public void Mark(int label) => _labels.Mark(label, _instructions.Count);

    /// <summary>dst = src (64 bits).</summary>
    public void Move(EbpfRegister destination, EbpfRegister source) => Emit(EbpfOpcodes.MoveRegister, destination, source, 0, 0);

    /// <summary>dst = imm.</summary>
    public void Move(EbpfRegister destination, int immediate) => Emit(EbpfOpcodes.MoveImmediate, destination, EbpfRegister.R0, 0, immediate);

    /// <summary>dst += imm.</summary>
    public void Add(EbpfRegister destination, int immediate) => Emit(EbpfOpcodes.AddImmediate, destination, EbpfRegister.R0, 0, immediate);

    /// <summary>dst = *(u32 *)(src + offset).</summary>
    public void LoadWord(EbpfRegister destination, EbpfRegister source, short offset) => Emit(EbpfOpcodes.LoadWord, destination, source, offset, 0);

    /// <summary>*(u32 *)(dst + offset) = src.</summary>
    public void StoreWord(EbpfRegister destination, short offset, EbpfRegister source) => Emit(EbpfOpcodes.StoreWord, destination, source, offset, 0);

    /// <summary>dst = the map whose descriptor is <paramref name="mapDescriptor"/> (two instructions).</summary>
    public void LoadMap(EbpfRegister destination, int mapDescriptor)
    {
        Emit(EbpfOpcodes.LoadImmediate64, destination, EbpfOpcodes.PseudoMapDescriptor, 0, mapDescriptor);
        Emit(0, EbpfRegister.R0, EbpfRegister.R0, 0, 0);
    }

    /// <summary>if dst == imm goto label.</summary>
    public void JumpIfEqual(EbpfRegister register, int immediate, int label) => Jump(EbpfOpcodes.JumpIfEqual, register, immediate, label);

    /// <summary>if dst != imm goto label.</summary>
    public void JumpIfNotEqual(EbpfRegister register, int immediate, int label) => Jump(EbpfOpcodes.JumpIfNotEqual, register, immediate, label);

    /// <summary>R0 = helper(R1, …, R5); R1–R5 are unreadable afterwards.</summary>
    public void Call(int helper) => Emit(EbpfOpcodes.Call, EbpfRegister.R0, EbpfRegister.R0, 0, helper);

    /// <summary>return R0.</summary>
    public void Exit() => Emit(EbpfOpcodes.Exit, EbpfRegister.R0, EbpfRegister.R0, 0, 0);

    public EbpfInstruction[] Build()
    {
        var program = _instructions.ToArray();
        foreach (var (at, label) in _jumps)
        {
            program[at] = program[at] with { Offset = (short)_labels.Offset(at, label, short.MaxValue) };
        }

        return program;
    }

    private void Jump(byte code, EbpfRegister register, int immediate, int label)
    {
        _jumps.Add((_instructions.Count, label));
        Emit(code, register, EbpfRegister.R0, 0, immediate);
    }

    private void Emit(byte code, EbpfRegister destination, EbpfRegister source, short offset, int immediate) =>
        _instructions.Add(new EbpfInstruction(code, destination, source, offset, immediate));
}
