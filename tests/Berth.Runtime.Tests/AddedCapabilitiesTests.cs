using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>A service's <c>cap_add</c> list: names, and ALL for every capability the host has.</summary>
public class AddedCapabilitiesTests
{
    private static readonly CapabilitySet Host = CapabilitySet.Of(LinuxCapability.Chown, LinuxCapability.NetBindService, LinuxCapability.SysAdmin);

    [Theory]
    [InlineData("ALL")]
    [InlineData("all")]
    [InlineData(" All ")]
    public void AllIsEveryCapabilityItIsGivenInAnyCase(string all) =>
        Assert.Equal(Host, AddedCapabilities.Parse([all], Host));

    [Fact]
    public void NamesAndAllTogetherAreOneSetWithoutRepeats()
    {
        var parsed = AddedCapabilities.Parse(["cap_net_bind_service", "ALL", "NET_BIND_SERVICE", "KILL"], Host);

        Assert.Equal(Host.Union(CapabilitySet.Of(LinuxCapability.Kill)), parsed);
        Assert.Equal(4, parsed.Count);
    }

    [Fact]
    public void AllIsWhatTheCallingThreadMayHandOnAndBerthCanName()
    {
        var available = AddedCapabilities.Available();
        var bounding = ThreadCapabilities.Read().Bounding;

        Assert.True(available.IsSubsetOf(bounding), $"{available} is more than the bounding set {bounding}.");
        Assert.True(available.IsSubsetOf(KernelCapabilities.All));
        Assert.Equal(bounding.Intersect(CapabilitySet.UpTo(LinuxCapabilityNames.Last)), available);
    }

    [Theory]
    [InlineData("NET_BIND_SERVIC")]
    [InlineData("CAP_ALL")]
    [InlineData("")]
    public void AnythingElseIsRefusedNamingItAndTheValidForms(string entry)
    {
        var error = Assert.Throws<FormatException>(() => AddedCapabilities.Parse(["CHOWN", entry], Host));

        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NET_BIND_SERVICE", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALL", error.Message, StringComparison.Ordinal);
    }
}
