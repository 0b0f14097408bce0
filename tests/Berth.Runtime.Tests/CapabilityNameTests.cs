using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>Capability names as a stack file writes them, and the kernel's numbers behind them.</summary>
public class CapabilityNameTests
{
    [Theory]
    [InlineData("NET_BIND_SERVICE")]
    [InlineData("CAP_NET_BIND_SERVICE")]
    [InlineData("cap_net_bind_service")]
    [InlineData("net_bind_service")]
    [InlineData("  Cap_Net_Bind_Service ")]
    public void NamesParseWithOrWithoutThePrefixInAnyCase(string name) =>
        Assert.Equal(LinuxCapability.NetBindService, LinuxCapabilityNames.Parse(name));

    [Theory]
    [InlineData(LinuxCapability.Chown, 0)]
    [InlineData(LinuxCapability.Setpcap, 8)]
    [InlineData(LinuxCapability.NetBindService, 10)]
    [InlineData(LinuxCapability.SysAdmin, 21)]
    [InlineData(LinuxCapability.SysResource, 24)]
    [InlineData(LinuxCapability.Setfcap, 31)]
    [InlineData(LinuxCapability.MacOverride, 32)]
    [InlineData(LinuxCapability.CheckpointRestore, 40)]
    public void TheNumbersAreTheKernels(LinuxCapability capability, int number) =>
        Assert.Equal(number, (int)capability);

    [Fact]
    public void EveryCapabilityRoundTripsThroughItsKernelName()
    {
        Assert.Equal(41, LinuxCapabilityNames.All.Count);
        Assert.Equal(LinuxCapability.CheckpointRestore, LinuxCapabilityNames.Last);
        foreach (var capability in LinuxCapabilityNames.All)
        {
            Assert.True(Enum.IsDefined(capability), capability.ToString());
            Assert.Equal(capability, LinuxCapabilityNames.Parse(capability.ToKernelName()));
            Assert.Equal(capability, LinuxCapabilityNames.Parse("CAP_" + capability.ToKernelName()));
        }

        Assert.Equal("NET_BIND_SERVICE", LinuxCapability.NetBindService.ToKernelName());
        Assert.Equal("SYS_TTY_CONFIG", LinuxCapability.SysTtyConfig.ToKernelName());
        Assert.Equal("SETPCAP", LinuxCapability.Setpcap.ToKernelName());
    }

    [Fact]
    public void AnUnknownNameIsAClearErrorThatSuggestsTheClosestName()
    {
        var error = Assert.Throws<FormatException>(() => LinuxCapabilityNames.Parse("NET_BIND_SERVIC"));
        Assert.Contains("Unknown capability 'NET_BIND_SERVIC'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean NET_BIND_SERVICE?", error.Message, StringComparison.Ordinal);

        var typo = Assert.Throws<FormatException>(() => LinuxCapabilityNames.Parse("cap_sys_admn"));
        Assert.Contains("Did you mean SYS_ADMIN?", typo.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CAP_")]
    [InlineData("EVERYTHING_PLEASE")]
    [InlineData("10")]
    [InlineData("ALL")]
    public void NonNamesAreRejected(string text)
    {
        Assert.False(LinuxCapabilityNames.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => LinuxCapabilityNames.Parse(text));
        Assert.Contains("capabilities(7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseOfNullIsFalse() => Assert.False(LinuxCapabilityNames.TryParse(null, out _));
}
