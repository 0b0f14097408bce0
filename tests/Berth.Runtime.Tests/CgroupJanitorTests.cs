using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>
/// The janitor against the real kernel. Its parent is a level of its own under <c>berth</c>, so it can only ever
/// see the cgroups this test makes, never those of a test or a Berth running alongside.
/// </summary>
public sealed class CgroupJanitorTests
{
    [Fact]
    public async Task RemovesOnlyTheEmptyCgroupsWhoseOwnerIsDead()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        var factory = CgroupV1KernelTests.V1Factory(parent);
        using var stranger = GatedProcess.Sleep();
        await using var abandoned = factory.Create("abandoned", new CgroupLimits(MemoryBytes: 64L * 1024 * 1024, Pids: 10));
        await using var takenOver = factory.Create("taken-over", CgroupLimits.None);
        await using var unrecorded = factory.Create("unrecorded", CgroupLimits.None);
        takenOver.AddProcess(stranger.Pid);

        // A new run: its records say the owners of "abandoned" and "taken-over" are dead, and know nothing of
        // "unrecorded" (another host's, as far as this run can tell, even though it is empty).
        var janitor = new CgroupJanitor(new CgroupFactory(CgroupLayout.Detect(), parent));
        var deadOwners = new HashSet<string>(StringComparer.Ordinal) { "abandoned", "taken-over" };
        Assert.Equal(["abandoned", "taken-over"], janitor.FindLeftovers(deadOwners.Contains));

        var removed = await janitor.RemoveLeftoversAsync(deadOwners.Contains);

        Assert.Equal(["abandoned"], removed);
        Assert.All(abandoned.Directories, d => Assert.False(Directory.Exists(d), d));

        // A process in a dead owner's cgroup is someone else's: neither it nor its cgroup is touched.
        Assert.All(takenOver.Directories, d => Assert.True(Directory.Exists(d), d));
        Assert.Equal([stranger.Pid], takenOver.ReadProcessIds());
        Assert.False(stranger.HasExited);
        Assert.All(unrecorded.Directories, d => Assert.True(Directory.Exists(d), d));
        Assert.Equal(["taken-over"], janitor.FindLeftovers(deadOwners.Contains));
    }

    [Fact]
    public async Task WithNothingLeftOverItRemovesNothing()
    {
        var parent = $"{RuntimePaths.CgroupParentName}/{CgroupV1KernelTests.UniqueName()}";
        var janitor = new CgroupJanitor(CgroupV1KernelTests.V1Factory(parent));

        Assert.Empty(await janitor.RemoveLeftoversAsync(_ => true));
    }
}
