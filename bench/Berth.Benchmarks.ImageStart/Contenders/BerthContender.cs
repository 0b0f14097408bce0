using System.Diagnostics;
using System.Globalization;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>
/// Berth's image store and runtime, in this process as in a Berth host: cold, the OCI archive imported into an
/// empty store (<see cref="ImageArchiveImporter"/>: every blob copied in and checked against its digest, every layer
/// unpacked and checked against the config's diff id, the name recorded), then the container; cached, the image
/// found in a store that has it unpacked (<see cref="ImageStore.Find"/>, which the host calls for an archive it
/// imported before), then the container. The container is the runtime's default (all namespaces, nobody, no
/// capabilities, no_new_privs, seccomp) with the benchmarks' limits, its root the image's layers.
/// </summary>
internal sealed class BerthContender(bool cold, ContainerRuntime runtime, ImageBenchWorkspace workspace) : IImageContender
{
    private int _sequence;

    public string Key => cold ? "berth-cold" : "berth-cached";

    public string Name => cold ? "Berth, cold" : "Berth, cached";

    public string Timed => cold
        ? "`ImageArchiveImporter.ImportAsync` of the OCI archive into an empty `ImageStore` (copy and check every blob, unpack every layer), then `ContainerRuntime.StartAsync`, `await Exited`, `DisposeAsync`"
        : "`ImageStore.Find` in a store that has the image unpacked (reads and checks its manifest and config, finds its layers), then `StartAsync`, `await Exited`, `DisposeAsync`";

    public async Task PrepareAsync(BenchImage image)
    {
        if (cold)
        {
            return;
        }

        var stored = await ImageArchiveImporter.ImportAsync(new ImageStore(workspace.CachedStore), image.Archive, image.Key).ConfigureAwait(false);
        image.Size ??= ImageSize.Of(stored.LayerDirectories, image.Archive);
    }

    public async Task<ImageRunTiming> RunAsync(BenchImage image)
    {
        var cpu = CpuUsage.Now();
        var start = Stopwatch.GetTimestamp();
        var stored = cold
            ? await ImageArchiveImporter.ImportAsync(new ImageStore(workspace.ColdStore), image.Archive, image.Key).ConfigureAwait(false)
            : new ImageStore(workspace.CachedStore).Find(image.Key) ?? throw new ContenderRunException($"the store has no image {image.Key}");
        var ready = Stopwatch.GetTimestamp();
        var spec = new ContainerSpec
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{Key}-{image.Key}-{++_sequence}"),
            Executable = BenchContainer.TrueCommand[0],
            Args = BenchContainer.TrueCommand[1..],
            Environment = new Dictionary<string, string> { ["PATH"] = BenchContainer.Path },
            Hostname = BenchContainer.Hostname,
            Root = stored.Root,
            Limits = BenchContainer.Limits,
        };
        Container container;
        try
        {
            container = await runtime.StartAsync(spec).ConfigureAwait(false);
        }
        catch (ContainerStartException e)
        {
            throw new ContenderRunException(e.Message);
        }

        ContainerExit exit;
        try
        {
            exit = await container.Exited.ConfigureAwait(false);
        }
        finally
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }

        var removed = Stopwatch.GetTimestamp();
        return exit.ExitCode == 0
            ? new ImageRunTiming(Stopwatch.GetElapsedTime(start, ready), Stopwatch.GetElapsedTime(ready, removed), CpuUsage.Now() - cpu)
            : throw new ContenderRunException($"container {spec.Id} ended with {exit}: {await container.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
    }

    public Task ResetAsync(BenchImage image)
    {
        if (cold && Directory.Exists(workspace.ColdStore))
        {
            Directory.Delete(workspace.ColdStore, recursive: true);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
