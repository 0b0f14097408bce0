using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>Capability sets as the kernel's masks: bit N for capability N, printed as <c>/proc</c> prints them.</summary>
public class CapabilitySetTests
{
    [Fact]
    public void BitNIsCapabilityN()
    {
        var set = CapabilitySet.Of(LinuxCapability.Chown, LinuxCapability.NetBindService, LinuxCapability.CheckpointRestore);
        Assert.Equal((1UL << 0) | (1UL << 10) | (1UL << 40), set.Mask);
        Assert.Equal(3, set.Count);
        Assert.Equal("0000010000000401", set.ToHex());
        Assert.Equal([LinuxCapability.Chown, LinuxCapability.NetBindService, LinuxCapability.CheckpointRestore], set.ToArray());
        Assert.Equal("CHOWN, NET_BIND_SERVICE, CHECKPOINT_RESTORE", set.ToString());
    }

    [Fact]
    public void TheMaskSplitsIntoCapsetsTwoWords()
    {
        var set = CapabilitySet.Of(LinuxCapability.Setfcap, LinuxCapability.MacOverride, LinuxCapability.CheckpointRestore);
        Assert.Equal(1U << 31, set.LowWord);
        Assert.Equal((1U << 0) | (1U << 8), set.HighWord);
    }

    [Fact]
    public void ProcStatusMasksParse()
    {
        // This machine's root: every capability of Linux 5.9+ but SYS_RESOURCE (24).
        var set = CapabilitySet.ParseHex("000001fffeffffff");
        Assert.Equal(40, set.Count);
        Assert.False(set.Contains(LinuxCapability.SysResource));
        Assert.True(set.Contains(LinuxCapability.CheckpointRestore));
        Assert.Equal(CapabilitySet.UpTo(LinuxCapability.CheckpointRestore).Except(CapabilitySet.Of(LinuxCapability.SysResource)), set);
        Assert.Throws<FormatException>(() => CapabilitySet.ParseHex("not hex"));
        Assert.Throws<FormatException>(() => CapabilitySet.ParseHex("10000000000000000"));
    }

    [Fact]
    public void SetOperations()
    {
        var all = CapabilitySet.UpTo(LinuxCapability.CheckpointRestore);
        var kept = CapabilitySet.Of(LinuxCapability.NetBindService);
        Assert.Equal(0x1ffffffffffUL, all.Mask);
        Assert.Equal(40, all.Except(kept).Count);
        Assert.True(kept.IsSubsetOf(all));
        Assert.False(all.IsSubsetOf(kept));
        Assert.Equal(all, all.Except(kept).Union(kept));
        Assert.True(CapabilitySet.Empty.IsEmpty);
        Assert.Equal("none", CapabilitySet.Empty.ToString());
        Assert.Equal(ulong.MaxValue, CapabilitySet.UpTo((LinuxCapability)63).Mask);
    }

    [Fact]
    public void ACapabilityNewerThanBerthPrintsAsItsNumber() =>
        Assert.Equal("capability 41", new CapabilitySet(1UL << 41).ToString());
}
