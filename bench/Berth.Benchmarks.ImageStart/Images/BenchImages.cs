using Berth.Runtime.Images;

namespace Berth.Benchmarks.ImageStart.Images;

/// <summary>
/// Makes the images, each as an OCI layout and as an OCI archive of it (<c>skopeo copy</c>):
/// <list type="bullet">
/// <item><c>busybox</c>: one layer, the busybox tree (<see cref="BusyboxTree"/>), made with umoci as the runtime's tests
/// make theirs;</item>
/// <item><c>dotnet</c>: three layers, what <c>berth image export</c> builds (<see cref="DotnetImage"/>: a base of this
/// host's .NET runtime and the libraries it loads, and an app's build output at <c>/app</c>, here the harness's own)
/// over that busybox image, which supplies <c>/bin/true</c>.</item>
/// </list>
/// </summary>
internal static class BenchImages
{
    private const string EntryAssembly = "Berth.Benchmarks.ImageStart.dll";

    public static async Task<IReadOnlyList<BenchImage>> CreateAsync(ImageBenchWorkspace workspace, IReadOnlySet<string> keys, TextWriter log)
    {
        var umoci = Tool("umoci");
        var skopeo = Tool("skopeo");
        var busybox = await BusyboxAsync(workspace, umoci, skopeo).ConfigureAwait(false);
        var images = new List<BenchImage>();
        if (keys.Contains("busybox"))
        {
            images.Add(busybox);
        }

        if (keys.Contains("dotnet"))
        {
            await log.WriteLineAsync("Building the .NET image (gzip of the host's .NET runtime).").ConfigureAwait(false);
            images.Add(await DotnetAsync(workspace, busybox, skopeo).ConfigureAwait(false));
        }

        return images;
    }

    /// <summary>An outside tool the images need: its path, or why the benchmark cannot run.</summary>
    public static string Tool(string name) =>
        ToolLocator.Find(name) ?? throw new BenchSetupException($"{name} is missing: the images are made with it (Debian: apt-get install {name}).");

    private static async Task<BenchImage> BusyboxAsync(ImageBenchWorkspace workspace, string umoci, string skopeo)
    {
        var layout = Path.Combine(workspace.Images, "busybox");
        var bundle = Path.Combine(workspace.Images, "busybox-bundle");
        await RunAsync(umoci, "init", "--layout", layout).ConfigureAwait(false);
        await RunAsync(umoci, "new", "--image", $"{layout}:busybox").ConfigureAwait(false);
        await RunAsync(umoci, "unpack", "--image", $"{layout}:busybox", bundle).ConfigureAwait(false);
        BusyboxTree.Create(Path.Combine(bundle, "rootfs"));
        await RunAsync(umoci, "repack", "--image", $"{layout}:busybox", bundle).ConfigureAwait(false);
        Directory.Delete(bundle, recursive: true);
        return await WithArchiveAsync(new BenchImage("busybox", "busybox-static and a link per applet, one layer, made with umoci", layout, "busybox", Path.Combine(workspace.Images, "busybox.tar")), skopeo).ConfigureAwait(false);
    }

    private static async Task<BenchImage> DotnetAsync(ImageBenchWorkspace workspace, BenchImage busybox, string skopeo)
    {
        var scratchStore = new ImageStore(Path.Combine(workspace.Images, "base-store"));
        var below = await OciLayoutImporter.ImportAsync(scratchStore, busybox.Layout, busybox.Tag, "busybox").ConfigureAwait(false);
        var layout = Path.Combine(workspace.Images, "dotnet");
        await OciImageWriter.WriteLayoutAsync(
            layout,
            "dotnet",
            ImageBase.FromStore(scratchStore, below),
            DotnetImage.Layers(AppContext.BaseDirectory, EntryAssembly, withBase: false),
            DotnetImage.RunConfig(EntryAssembly, port: null, http: false)).ConfigureAwait(false);
        Directory.Delete(scratchStore.StateDirectory, recursive: true);
        return await WithArchiveAsync(
            new BenchImage("dotnet", "`berth image export`'s layers (this host's .NET runtime; the harness's build output at /app) over the busybox image: three layers", layout, "dotnet", Path.Combine(workspace.Images, "dotnet.tar")),
            skopeo).ConfigureAwait(false);
    }

    private static async Task<BenchImage> WithArchiveAsync(BenchImage image, string skopeo)
    {
        await RunAsync(skopeo, "copy", "--quiet", $"oci:{image.Layout}:{image.Tag}", $"oci-archive:{image.Archive}").ConfigureAwait(false);
        return image;
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        using var child = await ChildProcess.StartAsync(DirectLauncher.Instance, tool, arguments, drain: true).ConfigureAwait(false);
        try
        {
            await child.SucceedAsync().ConfigureAwait(false);
        }
        catch (ContenderRunException e)
        {
            throw new BenchSetupException($"Cannot make the images: {e.Message}");
        }
    }
}
