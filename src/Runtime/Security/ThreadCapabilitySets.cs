namespace Berth.Runtime.Security;

/// <summary>
/// The five capability sets of one thread (capabilities(7)): what it may use now (effective), may take up
/// (permitted), passes to programs it executes (inheritable, ambient), and can ever hold again (bounding).
/// </summary>
public sealed record ThreadCapabilitySets(
    CapabilitySet Effective,
    CapabilitySet Permitted,
    CapabilitySet Inheritable,
    CapabilitySet Bounding,
    CapabilitySet Ambient)
{
    /// <summary>The sets as <c>/proc/PID/status</c> prints them, on one line.</summary>
    public override string ToString() =>
        $"CapInh {Inheritable.ToHex()} CapPrm {Permitted.ToHex()} CapEff {Effective.ToHex()} " +
        $"CapBnd {Bounding.ToHex()} CapAmb {Ambient.ToHex()}";
}
