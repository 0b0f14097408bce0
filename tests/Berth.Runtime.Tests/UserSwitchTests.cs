using System.Text.Json;
using static Berth.Runtime.Tests.CapabilityProbeAssert;

namespace Berth.Runtime.Tests;

/// <summary>
/// Switches user for real, in a child process, with the probe's <c>caps-drop</c> verb and <c>--user</c>: all four
/// user and group IDs change, supplementary groups are exactly the asked ones, and the way back to root is closed.
/// </summary>
public class UserSwitchTests
{
    private const int Eperm = 1;
    private const int Eacces = 13;
    private const string None = "0000000000000000";
    private const string Nobody = "65534 65534 65534 65534";

    // The probe first gives itself supplementary groups, as a host's Berth might run with; nobody must not get them.
    private static readonly Lazy<JsonElement> s_nobody =
        new(() => ProbeProcess.Run("caps-drop", "--host-groups", "4242,4343", "--user", "65534:65534"));

    private static readonly Lazy<JsonElement> s_nobodyWithGroups =
        new(() => ProbeProcess.Run("caps-drop", "--user", "65534:65534", "--groups", "100,4242"));

    [Fact]
    public void AllFourUserAndGroupIdsChange()
    {
        var report = s_nobody.Value;
        Applied(report);
        var after = report.GetProperty("after");
        Assert.Equal(Nobody, after.GetProperty("uid").GetString());
        Assert.Equal(Nobody, after.GetProperty("gid").GetString());
        Assert.Equal("65534:65534", report.GetProperty("user").GetString());
    }

    [Fact]
    public void TheCallersSupplementaryGroupsDoNotFollow()
    {
        var report = s_nobody.Value;
        Assert.Equal("4242 4343", report.GetProperty("before").GetProperty("groups").GetString());
        Assert.Equal("", report.GetProperty("after").GetProperty("groups").GetString());
        Assert.Equal("", Executed(report).GetProperty("groups").GetString());
    }

    [Fact]
    public void NobodyWithoutKeptCapabilitiesHasNoneAndCannotBecomeRootAgain()
    {
        var report = s_nobody.Value;
        Sets(report.GetProperty("after"), None, None, None, None, None);
        Assert.Equal(Eperm, Errno(report, "setuidRoot"));
        Assert.Equal(Eperm, Errno(report, "chownAfter"));
        Assert.Equal(Eacces, Errno(report, "bindPort80After"));
    }

    [Fact]
    public void AProgramNobodyExecutesRunsAsNobodyWithoutCapabilities()
    {
        var exec = Executed(s_nobody.Value);
        Sets(exec, None, None, None, None, None);
        Assert.Equal(Nobody, exec.GetProperty("uid").GetString());
        Assert.Equal(Nobody, exec.GetProperty("gid").GetString());
    }

    [Fact]
    public void SupplementaryGroupsAreExactlyTheAskedOnesAndPassToPrograms()
    {
        var report = s_nobodyWithGroups.Value;
        Applied(report);
        Assert.Equal("65534:65534 (groups 100, 4242)", report.GetProperty("user").GetString());
        Assert.Equal("100 4242", report.GetProperty("after").GetProperty("groups").GetString());
        Assert.Equal("100 4242", Executed(report).GetProperty("groups").GetString());
    }

    [Fact]
    public void TheOtherThreadsOfTheProcessKeepRootAndItsGroups()
    {
        var report = s_nobody.Value;
        var other = report.GetProperty("otherThread");
        Assert.Equal("0 0 0 0", other.GetProperty("uid").GetString());
        Assert.Equal("4242 4343", other.GetProperty("groups").GetString());
        Assert.Equal(report.GetProperty("before").GetProperty("capEff").GetString(), other.GetProperty("capEff").GetString());
    }
}
