using System.Diagnostics;
using System.Globalization;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>
/// The anchor without an engine: cold, <c>umoci unpack</c> of the image's OCI layout into a new bundle (which also
/// writes umoci's mtree manifest of the root) and that bundle's config.json replaced by runc's own <c>spec</c>
/// aligned with Berth's container (as in the container-start benchmark), then <c>runc run</c>; cached, <c>runc
/// run</c> of a bundle unpacked beforehand. <c>runc run</c> creates, starts, waits for and deletes the container.
/// </summary>
internal sealed class RuncContender : IImageContender
{
    private readonly bool _cold;
    private readonly OciRuntime _runc;
    private readonly string _umoci;
    private readonly ImageBenchWorkspace _workspace;
    private readonly Dictionary<string, OciBundle> _bundles = new(StringComparer.Ordinal);
    private int _sequence;

    public RuncContender(bool cold, string runc, string umoci, ImageBenchWorkspace workspace)
    {
        _cold = cold;
        _umoci = umoci;
        _workspace = workspace;
        _runc = new OciRuntime("runc", runc, workspace.RuncState, DirectLauncher.Instance);
    }

    public string Key => _cold ? "runc-cold" : "runc-cached";

    public string Name => _cold ? "`umoci unpack` + `runc run`" : "`runc run`, unpacked";

    public string Timed => _cold
        ? "`umoci unpack --image LAYOUT:TAG BUNDLE`, the aligned config.json written over umoci's, `runc --root STATE run --bundle BUNDLE ID` to its exit"
        : "`runc --root STATE run --bundle BUNDLE ID` to its exit, BUNDLE unpacked by umoci beforehand";

    public async Task PrepareAsync(BenchImage image)
    {
        var bundle = BundleDirectory(image);
        if (_cold)
        {
            // runc's spec aligned once; each run writes it into the bundle umoci has just made.
            _bundles[image.Key] = await OciBundle.CreateAsync(_runc, bundle, Path.Combine(bundle, "rootfs"), BenchContainer.TrueCommand).ConfigureAwait(false);
            Directory.Delete(bundle, recursive: true);
            return;
        }

        await UnpackAsync(image, bundle).ConfigureAwait(false);
        File.Delete(Path.Combine(bundle, "config.json"));
        _bundles[image.Key] = await OciBundle.CreateAsync(_runc, bundle, Path.Combine(bundle, "rootfs"), BenchContainer.TrueCommand).ConfigureAwait(false);
    }

    public async Task<ImageRunTiming> RunAsync(BenchImage image)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Key}-{image.Key}-{++_sequence}");
        var bundle = _bundles[image.Key];
        var cgroup = $"{_workspace.OciCgroupParent}/{Key}/{id}";
        if (!_cold)
        {
            bundle.PrepareFor(cgroup);
        }

        var cpu = CpuUsage.Now();
        var start = Stopwatch.GetTimestamp();
        if (_cold)
        {
            await UnpackAsync(image, bundle.Directory).ConfigureAwait(false);
            bundle.PrepareFor(cgroup);
        }

        var ready = Stopwatch.GetTimestamp();
        using var child = await _runc.StartAsync(drain: true, "run", "--bundle", bundle.Directory, id).ConfigureAwait(false);
        await child.SucceedAsync().ConfigureAwait(false);
        var exited = Stopwatch.GetTimestamp();
        // A cached run has no image step: all of it is the container's.
        return _cold
            ? new ImageRunTiming(Stopwatch.GetElapsedTime(start, ready), Stopwatch.GetElapsedTime(ready, exited), CpuUsage.Now() - cpu)
            : new ImageRunTiming(TimeSpan.Zero, Stopwatch.GetElapsedTime(start, exited), CpuUsage.Now() - cpu);
    }

    public Task ResetAsync(BenchImage image)
    {
        if (_cold && Directory.Exists(BundleDirectory(image)))
        {
            Directory.Delete(BundleDirectory(image), recursive: true);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => new(_runc.DeleteAllAsync());

    private string BundleDirectory(BenchImage image) => Path.Combine(_workspace.Runc, $"{Key}-{image.Key}");

    private async Task UnpackAsync(BenchImage image, string bundle)
    {
        using var child = await ChildProcess.StartAsync(DirectLauncher.Instance, _umoci, ["unpack", "--image", $"{image.Layout}:{image.Tag}", bundle], drain: true).ConfigureAwait(false);
        await child.SucceedAsync().ConfigureAwait(false);
    }
}
