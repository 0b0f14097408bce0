namespace Berth.Runtime;

/// <summary>
/// The labels of a small BPF assembler (classic BPF for seccomp, eBPF for connection steering): each placed once, at
/// the next instruction, and reached by forward jumps only, whose offset is the number of instructions skipped.
/// </summary>
internal sealed class ForwardLabels
{
    private readonly List<int?> _positions = [];

    public int New()
    {
        _positions.Add(null);
        return _positions.Count - 1;
    }

    /// <summary>Places <paramref name="label"/> at instruction <paramref name="position"/>.</summary>
    public void Mark(int label, int position)
    {
        if (_positions[label] is not null)
            throw new InvalidOperationException($"Label {label} is already placed.");
        _positions[label] = position;
    }

    /// <summary>The offset the jump at instruction <paramref name="at"/> carries to reach <paramref name="label"/>.</summary>
    /// <exception cref="InvalidOperationException">The label was never placed, or is behind the jump or more than <paramref name="maximum"/> instructions ahead.</exception>
    public int Offset(int at, int label, int maximum)
    {
        var target = _positions[label] ?? throw new InvalidOperationException($"Label {label} was never placed.");
        var offset = target - (at + 1);
        if (offset < 0 || offset > maximum)
            throw new InvalidOperationException($"A jump of {offset} instructions: only forward jumps of at most {maximum} instructions are assembled.");
        return offset;
    }
}
