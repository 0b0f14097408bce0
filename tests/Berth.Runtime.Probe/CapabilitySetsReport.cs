using Berth.Runtime.Security;

namespace Berth.Runtime.Probe;

/// <summary>The five sets <see cref="CapabilityDropper.Apply"/> returned, in hexadecimal as <c>/proc</c> prints them.</summary>
internal sealed record CapabilitySetsReport(string CapInh, string CapPrm, string CapEff, string CapBnd, string CapAmb)
{
    public static CapabilitySetsReport Of(ThreadCapabilitySets sets) => new(
        sets.Inheritable.ToHex(), sets.Permitted.ToHex(), sets.Effective.ToHex(), sets.Bounding.ToHex(), sets.Ambient.ToHex());
}
