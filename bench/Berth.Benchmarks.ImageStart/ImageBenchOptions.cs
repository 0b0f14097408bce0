namespace Berth.Benchmarks.ImageStart;

/// <summary>The command line: how many rounds, which contenders, which images.</summary>
internal sealed record ImageBenchOptions
{
    public const string Usage = """
        usage: Berth.Benchmarks.ImageStart [options]   (as root)

          --rounds N        measured rounds; in each, every contender starts every image once (default 20, at least 5)
          --warmup N        unmeasured rounds first (default 2)
          --berth-warmup N  before those, N cold and N cached Berth starts of the first image, not kept, so that the
                            host's code runs compiled at full optimization, as in a host that has started a few
                            containers (default 40)
          --only LIST       comma-separated subset of: bare, berth-cold, berth-cached, runc-cold, runc-cached,
                            podman-cold, podman-cached
          --images LIST     comma-separated subset of: busybox, dotnet
        """;

    public static readonly IReadOnlyList<string> ContenderKeys = ["bare", "berth-cold", "berth-cached", "runc-cold", "runc-cached", "podman-cold", "podman-cached"];

    public static readonly IReadOnlyList<string> ImageKeys = ["busybox", "dotnet"];

    public int Rounds { get; init; } = 20;

    public int Warmup { get; init; } = 2;

    public int BerthWarmup { get; init; } = 40;

    public IReadOnlySet<string> Contenders { get; init; } = ContenderKeys.ToHashSet(StringComparer.Ordinal);

    public IReadOnlySet<string> Images { get; init; } = ImageKeys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Parses the arguments; a <see cref="FormatException"/> carries the reason to print with <see cref="Usage"/>.</summary>
    public static ImageBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ImageBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = OptionValues.Count(Value(), "--rounds", minimum: 5) },
                "--warmup" => options with { Warmup = OptionValues.Count(Value(), "--warmup", minimum: 0) },
                "--berth-warmup" => options with { BerthWarmup = OptionValues.Count(Value(), "--berth-warmup", minimum: 0) },
                "--only" => options with { Contenders = OptionValues.Subset(Value(), "--only", ContenderKeys) },
                "--images" => options with { Images = OptionValues.Subset(Value(), "--images", ImageKeys) },
                var other => throw new FormatException($"unknown option {other}"),
            };
        }

        return options;
    }
}
