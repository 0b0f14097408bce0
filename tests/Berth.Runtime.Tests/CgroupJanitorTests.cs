using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>
/// The janitor against the real kernel. Its parent is a level of its own under <c>berth</c>, so it can only ever
/// see the cgroups this test makes, never those of a test or a Berth running alongside.
/// </summary>
public sealed class CgroupJanitorTests
{
    [Fact]
    public async Task RemovesALeftoverWithALiveProcessAndSparesTheLiveOnes()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        var factory = CgroupV1KernelTests.V1Factory(parent);
        using var orphan = GatedProcess.Sleep();
        await using var leftover = factory.Create("leftover", new CgroupLimits(MemoryBytes: 64L * 1024 * 1024, Pids: 10));
        await using var live = factory.Create("live", CgroupLimits.None);
        leftover.AddProcess(orphan.Pid);

        // A new run: it knows its live containers by name and nothing of the objects above.
        var janitor = new CgroupJanitor(new CgroupFactory(CgroupLayout.Detect(), parent));
        var liveNames = new HashSet<string>(StringComparer.Ordinal) { "live" };
        Assert.Equal(["leftover"], janitor.FindLeftovers(liveNames));

        var removed = await janitor.RemoveLeftoversAsync(liveNames);

        Assert.Equal(["leftover"], removed);
        await orphan.WaitForExitAsync();
        Assert.Equal(128 + 9, orphan.ExitCode);
        Assert.All(leftover.Directories, d => Assert.False(Directory.Exists(d), d));
        Assert.All(live.Directories, d => Assert.True(Directory.Exists(d), d));
        Assert.Empty(janitor.FindLeftovers(liveNames));
    }

    [Fact]
    public async Task WithNothingLeftOverItRemovesNothing()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        var janitor = new CgroupJanitor(CgroupV1KernelTests.V1Factory(parent));

        Assert.Empty(await janitor.RemoveLeftoversAsync(new HashSet<string>()));
    }
}
