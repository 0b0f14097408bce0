using System.Diagnostics;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>
/// Podman, each contender with a storage of its own: cold, <c>podman load</c> of the OCI archive (which copies the
/// blobs into containers/storage and applies each layer to an overlay directory) and then <c>podman run --rm</c>,
/// with <c>podman rmi</c> afterwards, not timed; cached, <c>podman run --rm</c> of the image loaded beforehand.
/// Podman's conmon detaches, so its CPU time, and that of the runc it starts, is in no child this process waits for:
/// the CPU column for Podman holds only the <c>podman</c> commands themselves.
/// </summary>
internal sealed class PodmanContender(bool cold, PodmanCli podman, ImageBenchWorkspace workspace) : IImageContender
{
    private readonly Dictionary<string, string> _loaded = new(StringComparer.Ordinal);

    public PodmanCli Podman => podman;

    public string Key => cold ? "podman-cold" : "podman-cached";

    public string Name => cold ? "Podman, cold" : "Podman, cached";

    public string Timed => cold
        ? "`podman load --quiet --input ARCHIVE` into a storage without the image, then `podman run --rm … IMAGE` to its exit (`podman rmi` afterwards, not timed)"
        : "`podman run --rm … IMAGE` to its exit, the image loaded beforehand";

    /// <summary>The cgroup parent of Podman's containers (and of its conmon cgroup), from each hierarchy's root.</summary>
    public string CgroupParent => $"/{workspace.OciCgroupParent}/{Key}";

    public async Task PrepareAsync(BenchImage image)
    {
        if (!cold)
        {
            _loaded[image.Key] = await podman.LoadAsync(image.Archive).ConfigureAwait(false);
        }
    }

    public async Task<ImageRunTiming> RunAsync(BenchImage image)
    {
        var cpu = CpuUsage.Now();
        var start = Stopwatch.GetTimestamp();
        if (cold)
        {
            _loaded[image.Key] = await podman.LoadAsync(image.Archive).ConfigureAwait(false);
        }

        var ready = Stopwatch.GetTimestamp();
        await podman.RunAsync(PodmanCli.RunTrueArguments(_loaded[image.Key], CgroupParent)).ConfigureAwait(false);
        var exited = Stopwatch.GetTimestamp();
        // A cached run has no image step: all of it is the container's.
        return cold
            ? new ImageRunTiming(Stopwatch.GetElapsedTime(start, ready), Stopwatch.GetElapsedTime(ready, exited), CpuUsage.Now() - cpu)
            : new ImageRunTiming(TimeSpan.Zero, Stopwatch.GetElapsedTime(start, exited), CpuUsage.Now() - cpu);
    }

    public async Task ResetAsync(BenchImage image)
    {
        if (cold && _loaded.Remove(image.Key, out var loaded))
        {
            await podman.RunAsync("rmi", "--force", loaded).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(podman.RemoveAllAsync());
}
