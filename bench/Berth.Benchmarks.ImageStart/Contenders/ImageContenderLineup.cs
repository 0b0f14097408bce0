using Berth.Runtime.Containers;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>
/// The contenders this machine can run, in report order, and those it cannot, each with the reason: runc or Podman
/// not installed is a skip.
/// </summary>
internal sealed class ImageContenderLineup : IAsyncDisposable
{
    private readonly List<IImageContender> _contenders = [];
    private readonly List<IImageContender> _dropped = [];
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

    private ImageContenderLineup(ContainerRuntime berth) => Berth = berth;

    /// <summary>The runtime Berth's contenders share, as a host has one.</summary>
    public ContainerRuntime Berth { get; }

    public IReadOnlyList<IImageContender> Contenders => _contenders;

    /// <summary>Why a chosen contender does not run, by key.</summary>
    public IReadOnlyDictionary<string, string> Skipped => _skipped;

    public static ImageContenderLineup Create(ImageBenchOptions options, ImageBenchWorkspace workspace)
    {
        var lineup = new ImageContenderLineup(new ContainerRuntime(new ContainerRuntimeOptions
        {
            StateDirectory = workspace.BerthState,
            CgroupParent = workspace.BerthCgroupParent,
        }));
        var runc = ToolLocator.Find("runc");
        var umoci = ToolLocator.Find("umoci");
        foreach (var key in ImageBenchOptions.ContenderKeys.Where(options.Contenders.Contains))
        {
            var cold = key.EndsWith("-cold", StringComparison.Ordinal);
            IImageContender? contender = key switch
            {
                "bare" => new BareContender(),
                "berth-cold" or "berth-cached" => new BerthContender(cold, lineup.Berth, workspace),
                "runc-cold" or "runc-cached" when runc is not null && umoci is not null => new RuncContender(cold, runc, umoci, workspace),
                "podman-cold" or "podman-cached" when PodmanCli.Find(workspace.Podman(key)) is { } podman && runc is not null => new PodmanContender(cold, podman, workspace),
                _ => null,
            };
            if (contender is null)
            {
                lineup._skipped[key] = key.StartsWith("podman", StringComparison.Ordinal) && runc is not null
                    ? "Podman is not installed (Debian: apt-get install podman)"
                    : "runc is not installed (Debian: apt-get install runc)";
                continue;
            }

            lineup._contenders.Add(contender);
        }

        return lineup;
    }

    /// <summary>
    /// Gets every contender ready for every image (<see cref="IImageContender.PrepareAsync"/>); one that cannot be is
    /// left out of the rounds, with the reason.
    /// </summary>
    public async Task PrepareAsync(IReadOnlyList<Images.BenchImage> images, TextWriter log)
    {
        foreach (var contender in _contenders.ToList())
        {
            try
            {
                foreach (var image in images)
                {
                    await log.WriteLineAsync($"Preparing {contender.Name} for {image.Key}.").ConfigureAwait(false);
                    await contender.PrepareAsync(image).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is ContenderRunException or IOException or Runtime.Images.ImageFormatException)
            {
                await log.WriteLineAsync($"Leaving {contender.Name} out: {e.Message}").ConfigureAwait(false);
                _contenders.Remove(contender);
                _dropped.Add(contender);
                _skipped[contender.Key] = $"could not be prepared: {e.Message}";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var contender in _contenders.Concat(_dropped))
        {
            await contender.DisposeAsync().ConfigureAwait(false);
        }
    }
}
