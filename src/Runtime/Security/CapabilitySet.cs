using System.Collections;
using System.Globalization;
using System.Numerics;

namespace Berth.Runtime.Security;

/// <summary>
/// A set of capabilities as the kernel keeps one: a 64-bit mask, bit N for capability N. <c>/proc/PID/status</c>
/// prints each of a thread's five sets this way (<c>CapEff: 0000000000000400</c>), and <c>capset(2)</c> takes it as
/// two 32-bit words.
/// </summary>
public readonly record struct CapabilitySet : IReadOnlyCollection<LinuxCapability>
{
    /// <summary>A set of the capabilities whose bits are set in <paramref name="mask"/>.</summary>
    public CapabilitySet(ulong mask) => Mask = mask;

    /// <summary>No capability.</summary>
    public static CapabilitySet Empty => default;

    /// <summary>The bit mask: bit N is capability N.</summary>
    public ulong Mask { get; }

    /// <summary>How many capabilities the set holds.</summary>
    public int Count => BitOperations.PopCount(Mask);

    /// <summary>Whether the set holds no capability.</summary>
    public bool IsEmpty => Mask == 0;

    /// <summary>Bits 0–31, the first word of <c>capset(2)</c>'s data.</summary>
    internal uint LowWord => (uint)Mask;

    /// <summary>Bits 32–63, the second word of <c>capset(2)</c>'s data.</summary>
    internal uint HighWord => (uint)(Mask >> 32);

    /// <summary>The set of <paramref name="capabilities"/>.</summary>
    public static CapabilitySet Of(IEnumerable<LinuxCapability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (capabilities is CapabilitySet set)
            return set;

        var mask = 0UL;
        foreach (var capability in capabilities)
            mask |= Bit(capability);

        return new CapabilitySet(mask);
    }

    /// <summary>The set of <paramref name="capabilities"/>.</summary>
    public static CapabilitySet Of(params LinuxCapability[] capabilities) => Of((IEnumerable<LinuxCapability>)capabilities);

    /// <summary>Capabilities 0 to <paramref name="last"/>: all a kernel whose <c>cap_last_cap</c> is that knows.</summary>
    public static CapabilitySet UpTo(LinuxCapability last) =>
        new((int)last >= 63 ? ulong.MaxValue : (1UL << ((int)last + 1)) - 1);

    /// <summary>Parses the hexadecimal mask <c>/proc/PID/status</c> prints (<c>000001ffffffffff</c>).</summary>
    /// <exception cref="FormatException">Not a hexadecimal number of at most 64 bits.</exception>
    public static CapabilitySet ParseHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return ulong.TryParse(hex.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask)
            ? new CapabilitySet(mask)
            : throw new FormatException($"'{hex}' is not a capability mask: expected up to 16 hexadecimal digits.");
    }

    /// <summary>Whether the set holds <paramref name="capability"/>.</summary>
    public bool Contains(LinuxCapability capability) => (Mask & Bit(capability)) != 0;

    /// <summary>This set and <paramref name="other"/>'s capabilities.</summary>
    public CapabilitySet Union(CapabilitySet other) => new(Mask | other.Mask);

    /// <summary>The capabilities both this set and <paramref name="other"/> hold.</summary>
    public CapabilitySet Intersect(CapabilitySet other) => new(Mask & other.Mask);

    /// <summary>This set's capabilities that <paramref name="other"/> lacks.</summary>
    public CapabilitySet Except(CapabilitySet other) => new(Mask & ~other.Mask);

    /// <summary>Whether every capability of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(CapabilitySet other) => (Mask & ~other.Mask) == 0;

    /// <summary>The mask as <c>/proc/PID/status</c> prints it: 16 lowercase hexadecimal digits.</summary>
    public string ToHex() => Mask.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The kernel names, comma-separated (<c>CHOWN, NET_BIND_SERVICE</c>), or <c>none</c>.</summary>
    public override string ToString() =>
        IsEmpty ? "none" : string.Join(", ", this.Select(Name));

    /// <inheritdoc />
    public IEnumerator<LinuxCapability> GetEnumerator()
    {
        for (var remaining = Mask; remaining != 0; remaining &= remaining - 1)
            yield return (LinuxCapability)BitOperations.TrailingZeroCount(remaining);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ulong Bit(LinuxCapability capability) =>
        (uint)capability < 64
            ? 1UL << (int)capability
            : throw new ArgumentOutOfRangeException(nameof(capability), capability, "A capability is numbered 0 to 63.");

    // A capability newer than Berth (a kernel past CHECKPOINT_RESTORE) prints as its number.
    private static string Name(LinuxCapability capability) =>
        capability <= LinuxCapabilityNames.Last ? capability.ToKernelName() : $"capability {(int)capability}";
}
