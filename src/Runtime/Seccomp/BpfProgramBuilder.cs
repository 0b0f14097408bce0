namespace Berth.Runtime.Seccomp;

/// <summary>
/// Assembles a short run of classic BPF with forward jumps to labels, resolving each to the 8-bit offsets
/// conditional jumps carry. Used for the per-syscall argument checks, which are a few dozen instructions at most;
/// a jump that would not fit is a compile error, never a silently wrong program.
/// </summary>
internal sealed class BpfProgramBuilder
{
    private readonly List<BpfInstruction> _instructions = [];
    private readonly ForwardLabels _labels = new();
    private readonly List<(int At, int? WhenTrue, int? WhenFalse)> _jumps = [];

    public int NewLabel() => _labels.New();

    public void Mark(int label) => _labels.Mark(label, _instructions.Count);

    public void Emit(ushort code, uint k) => _instructions.Add(new BpfInstruction(code, 0, 0, k));

    /// <summary>A conditional jump; a null label means "fall through to the next instruction".</summary>
    public void JumpIf(ushort code, uint k, int? whenTrue, int? whenFalse)
    {
        _jumps.Add((_instructions.Count, whenTrue, whenFalse));
        _instructions.Add(new BpfInstruction(code, 0, 0, k));
    }

    public IReadOnlyList<BpfInstruction> Build()
    {
        var program = _instructions.ToArray();
        foreach (var (at, whenTrue, whenFalse) in _jumps)
            program[at] = program[at] with { JumpIfTrue = Offset(at, whenTrue), JumpIfFalse = Offset(at, whenFalse) };
        return program;
    }

    private byte Offset(int at, int? label) =>
        label is { } id ? (byte)_labels.Offset(at, id, BpfInstruction.MaxConditionalJump) : (byte)0;
}
