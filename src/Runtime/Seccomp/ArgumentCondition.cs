namespace Berth.Runtime.Seccomp;

/// <summary>
/// A test on one system call argument (<c>seccomp_data.args[Index]</c>). Arguments are 64-bit registers, so a
/// filter checks both 32-bit halves. A parameter the kernel declares as <c>int</c> or <c>unsigned int</c> is a
/// <see cref="Is32Bit">32-bit</see> condition: the kernel truncates such a register to its low half, so garbage in
/// the high half must neither dodge a rule (<c>socket(0x1_0000_0028)</c> is <c>AF_VSOCK</c> to the kernel) nor
/// break a legitimate call.
/// </summary>
/// <param name="Index">The argument, 0 to 5.</param>
/// <param name="Comparison">How the argument is compared.</param>
/// <param name="Value">What the (masked) argument is compared with.</param>
/// <param name="Mask">For <see cref="ArgumentComparison.MaskedEqual"/>, the bits compared; all bits otherwise.</param>
/// <param name="Is32Bit">Compare only the low 32 bits, because the kernel ignores the high ones.</param>
public sealed record ArgumentCondition(int Index, ArgumentComparison Comparison, ulong Value, ulong Mask, bool Is32Bit)
{
    /// <summary>The number of system call arguments in <c>seccomp_data</c>.</summary>
    public const int ArgumentCount = 6;

    /// <summary>The argument, 0 to 5.</summary>
    public int Index { get; } = Index is >= 0 and < ArgumentCount
        ? Index
        : throw new ArgumentOutOfRangeException(nameof(Index), Index, "A system call has arguments 0 to 5.");

    /// <summary>The 64-bit argument equals <paramref name="value"/>.</summary>
    public static ArgumentCondition Equal(int index, ulong value) =>
        new(index, ArgumentComparison.Equal, value, ulong.MaxValue, Is32Bit: false);

    /// <summary>The 32-bit argument equals <paramref name="value"/>.</summary>
    public static ArgumentCondition Equal32(int index, uint value) =>
        new(index, ArgumentComparison.Equal, value, uint.MaxValue, Is32Bit: true);

    /// <summary>The 64-bit argument differs from <paramref name="value"/>.</summary>
    public static ArgumentCondition NotEqual(int index, ulong value) =>
        new(index, ArgumentComparison.NotEqual, value, ulong.MaxValue, Is32Bit: false);

    /// <summary>The 32-bit argument differs from <paramref name="value"/>.</summary>
    public static ArgumentCondition NotEqual32(int index, uint value) =>
        new(index, ArgumentComparison.NotEqual, value, uint.MaxValue, Is32Bit: true);

    /// <summary><c>(argument &amp; mask) == value</c> on the 64-bit argument.</summary>
    public static ArgumentCondition MaskedEqual(int index, ulong mask, ulong value) =>
        new(index, ArgumentComparison.MaskedEqual, value, mask, Is32Bit: false);

    /// <summary>Whether <paramref name="argument"/> satisfies the condition; the meaning a compiled filter implements.</summary>
    public bool IsSatisfiedBy(ulong argument)
    {
        var width = Is32Bit ? uint.MaxValue : ulong.MaxValue;
        var masked = argument & Mask & width;
        var value = Value & width;
        return Comparison switch
        {
            ArgumentComparison.Equal or ArgumentComparison.MaskedEqual => masked == value,
            ArgumentComparison.NotEqual => masked != value,
            _ => throw new InvalidOperationException($"Unknown comparison {Comparison}."),
        };
    }
}
