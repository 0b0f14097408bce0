using System.Text.Json;
using Berth.Runtime.Security;
using static Berth.Runtime.Tests.CapabilityProbeAssert;

namespace Berth.Runtime.Tests;

/// <summary>
/// Drops capabilities for real, in a child process (the drop cannot be undone, so never in the test host), with
/// the probe's <c>caps-drop</c> verb: the five sets the kernel then shows for the calling thread, what that thread
/// can still do, and what a program it executes starts with.
/// </summary>
public class CapabilityDropTests
{
    private const int Eperm = 1;
    private const int Eacces = 13;
    private const string None = "0000000000000000";
    private const string NetBindService = "0000000000000400";
    private const string ChownAndCheckpointRestore = "0000010000000001";
    private const string Root = "0 0 0 0";
    private const string Nobody = "65534 65534 65534 65534";

    private static readonly Lazy<JsonElement> s_dropAll = new(() => ProbeProcess.Run("caps-drop"));

    private static readonly Lazy<JsonElement> s_keepAsRoot = new(() => ProbeProcess.Run("caps-drop", "--keep", "NET_BIND_SERVICE"));

    private static readonly Lazy<JsonElement> s_keepAsNobody =
        new(() => ProbeProcess.Run("caps-drop", "--keep", "NET_BIND_SERVICE", "--user", "65534:65534"));

    private static readonly Lazy<JsonElement> s_keepInBothWordsWithNoNewPrivs = new(() => ProbeProcess.Run(
        "caps-drop", "--keep", "CHOWN", "--keep", "cap_checkpoint_restore", "--user", "65534:65534", "--no-new-privs"));

    private static readonly Lazy<JsonElement> s_keepWhatTheHostLacks = new(() => ProbeProcess.Run(
        "caps-drop", "--host-lacks", "SYS_BOOT", "--keep", "NET_BIND_SERVICE", "--keep", "SYS_BOOT", "--user", "65534:65534"));

    [Fact]
    public void DroppingAllEmptiesEverySetOfTheCallingThread()
    {
        var report = s_dropAll.Value;
        Applied(report);
        Sets(report.GetProperty("after"), None, None, None, None, None);
        Assert.Equal(Root, report.GetProperty("after").GetProperty("uid").GetString());
    }

    [Fact]
    public void RootWithoutCapabilitiesCanNeitherChownNorBindPort80()
    {
        var report = s_dropAll.Value;

        // The same calls worked on the same thread before the drop.
        Assert.Equal(0, Errno(report, "chownBefore"));
        Assert.Equal(0, Errno(report, "bindPort80Before"));

        Assert.Equal(Eperm, Errno(report, "chownAfter"));
        Assert.Equal(Eacces, Errno(report, "bindPort80After"));
    }

    [Fact]
    public void RootExecutesProgramsWithoutCapabilitiesBecauseTheBoundingSetIsEmpty()
    {
        // At execve root gets inheritable | bounding as its new permitted set: empty only because the bounding set is.
        var exec = Executed(s_dropAll.Value);
        Sets(exec, None, None, None, None, None);
        Assert.Equal(Root, exec.GetProperty("uid").GetString());
    }

    [Fact]
    public void RootKeepsNetBindServiceAndNothingElse()
    {
        var report = s_keepAsRoot.Value;
        Applied(report);
        Sets(report.GetProperty("after"), inheritable: NetBindService, permitted: NetBindService, effective: NetBindService, bounding: NetBindService, ambient: None);
        Assert.Equal(0, Errno(report, "bindPort80After"));
        Assert.Equal(Eperm, Errno(report, "chownAfter"));
    }

    [Fact]
    public void RootKeepsNetBindServiceAcrossExecveWithoutTheAmbientSet()
    {
        var exec = Executed(s_keepAsRoot.Value);
        Sets(exec, inheritable: NetBindService, permitted: NetBindService, effective: NetBindService, bounding: NetBindService, ambient: None);
        Assert.Equal(Root, exec.GetProperty("uid").GetString());
    }

    [Fact]
    public void NobodyKeepsNetBindServiceInEverySetIncludingAmbient()
    {
        var report = s_keepAsNobody.Value;
        Applied(report);
        var after = report.GetProperty("after");
        Sets(after, NetBindService, NetBindService, NetBindService, NetBindService, NetBindService);
        Assert.Equal(Nobody, after.GetProperty("uid").GetString());
        Assert.Equal(Nobody, after.GetProperty("gid").GetString());
        Assert.Equal("", after.GetProperty("groups").GetString());

        // The dropper's own reading agrees with the kernel's /proc.
        var returned = report.GetProperty("returned");
        foreach (var set in new[] { "capInh", "capPrm", "capEff", "capBnd", "capAmb" })
            Assert.Equal(after.GetProperty(set).GetString(), returned.GetProperty(set).GetString());
    }

    [Fact]
    public void NobodyWithNetBindServiceBindsPort80ButCannotChownOrBecomeRoot()
    {
        var report = s_keepAsNobody.Value;
        Assert.Equal(0, Errno(report, "bindPort80After"));
        Assert.Equal(Eperm, Errno(report, "chownAfter"));
        Assert.Equal(Eperm, Errno(report, "setuidRoot"));
    }

    [Fact]
    public void NobodyKeepsNetBindServiceAcrossExecveThroughTheAmbientSet()
    {
        // /bin/sh and grep have no file capabilities: a non-root program's permitted and effective sets are its
        // ambient set, so without PR_CAP_AMBIENT_RAISE they would be empty.
        var exec = Executed(s_keepAsNobody.Value);
        Sets(exec, NetBindService, NetBindService, NetBindService, NetBindService, NetBindService);
        Assert.Equal(Nobody, exec.GetProperty("uid").GetString());
        Assert.Equal(Nobody, exec.GetProperty("gid").GetString());
    }

    [Fact]
    public void OnlyTheCallingThreadChanges()
    {
        var report = s_keepAsNobody.Value;
        Assert.True(report.GetProperty("callingThreadIsMain").GetBoolean());

        // A thread of the same process, read after the drop, still has what the calling thread had before it.
        Assert.Equal(report.GetProperty("before").ToString(), report.GetProperty("otherThread").ToString());
        Assert.Equal(Root, report.GetProperty("otherThread").GetProperty("uid").GetString());
    }

    [Fact]
    public void CapabilitiesInBothWordsAreKeptAndWork()
    {
        // CHOWN is bit 0 (first word of capset's data), CHECKPOINT_RESTORE bit 40 (second word).
        var report = s_keepInBothWordsWithNoNewPrivs.Value;
        Applied(report);
        Sets(report.GetProperty("after"), ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore);
        Assert.Equal(0, Errno(report, "chownAfter"));
        Assert.Equal(Eacces, Errno(report, "bindPort80After"));
        Assert.Equal(Eperm, Errno(report, "setuidRoot"));
    }

    [Fact]
    public void AmbientCapabilitiesSurviveExecveUnderNoNewPrivs()
    {
        var report = s_keepInBothWordsWithNoNewPrivs.Value;
        Assert.True(report.GetProperty("noNewPrivsIsSet").GetBoolean());
        Assert.Equal("1", report.GetProperty("after").GetProperty("noNewPrivs").GetString());

        var exec = Executed(report);
        Sets(exec, ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore, ChownAndCheckpointRestore);
        Assert.Equal("1", exec.GetProperty("noNewPrivs").GetString());
        Assert.Equal(Nobody, exec.GetProperty("uid").GetString());
    }

    [Fact]
    public void KeepingWhatTheHostLacksFailsBeforeAnythingChanges()
    {
        var report = s_keepWhatTheHostLacks.Value;
        var error = report.GetProperty("applyError").GetString();
        Assert.NotNull(error);
        Assert.StartsWith("Cannot keep SYS_BOOT: the process starting the service does not have it", error, StringComparison.Ordinal);

        var before = report.GetProperty("before");
        Assert.False(CapabilitySet.ParseHex(before.GetProperty("capBnd").GetString()!).Contains(LinuxCapability.SysBoot));
        Assert.Equal(before.ToString(), report.GetProperty("after").ToString());
        Assert.Equal(Root, report.GetProperty("after").GetProperty("uid").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("returned").ValueKind);
    }
}
