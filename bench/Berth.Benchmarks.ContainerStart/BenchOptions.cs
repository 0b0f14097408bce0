using System.Runtime.InteropServices;

namespace Berth.Benchmarks.ContainerStart;

/// <summary>The command line: how many runs, which inits, which parts.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Berth.Benchmarks.ContainerStart [options]   (as root)

          --runs N               measured /bin/true runs per contender (default 200, at least 100)
          --warmup N             unmeasured rounds first (default 40)
          --aot-init PATH        the init compiled ahead of time (default: <app dir>/runtimes/linux-<arch>/native/berth-init)
          --managed-init PATH    the managed init assembly (default: <app dir>/Berth.Runtime.Init.dll)
          --only LIST            comma-separated subset of: bare, berth-managed, berth-aot, crun, runc
          --memory-containers K  containers kept running at once per contender for the memory figure (default 20)
          --memory-rounds R      memory measurements per contender; the median is reported (default 5)
          --no-latency           skip the start-to-exit runs
          --no-memory            skip the memory measurement
        """;

    public static readonly IReadOnlyList<string> ContenderKeys = ["bare", "berth-managed", "berth-aot", "crun", "runc"];

    public int Runs { get; init; } = 200;

    public int Warmup { get; init; } = 40;

    /// <summary>Where the build puts the AOT init for this machine's runtime identifier (linux-x64, linux-arm64).</summary>
    public string AotInit { get; init; } = Path.Combine(
        AppContext.BaseDirectory, "runtimes", $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native", "berth-init");

    /// <summary>True when <see cref="AotInit"/> was given, so a missing file is an error rather than a skip.</summary>
    public bool AotInitGiven { get; init; }

    public string ManagedInit { get; init; } = Path.Combine(AppContext.BaseDirectory, "Berth.Runtime.Init.dll");

    public IReadOnlySet<string> Contenders { get; init; } = ContenderKeys.ToHashSet(StringComparer.Ordinal);

    public int MemoryContainers { get; init; } = 20;

    public int MemoryRounds { get; init; } = 5;

    public bool Latency { get; init; } = true;

    public bool Memory { get; init; } = true;

    /// <summary>Parses the arguments; a <see cref="FormatException"/> carries the reason to print with <see cref="Usage"/>.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--runs" => options with { Runs = OptionValues.Count(Value(), "--runs", minimum: 100) },
                "--warmup" => options with { Warmup = OptionValues.Count(Value(), "--warmup", minimum: 1) },
                "--aot-init" => options with { AotInit = Path.GetFullPath(Value()), AotInitGiven = true },
                "--managed-init" => options with { ManagedInit = Path.GetFullPath(Value()) },
                "--only" => options with { Contenders = OptionValues.Subset(Value(), "--only", ContenderKeys) },
                "--memory-containers" => options with { MemoryContainers = OptionValues.Count(Value(), "--memory-containers", minimum: 1) },
                "--memory-rounds" => options with { MemoryRounds = OptionValues.Count(Value(), "--memory-rounds", minimum: 1) },
                "--no-latency" => options with { Latency = false },
                "--no-memory" => options with { Memory = false },
                var other => throw new FormatException($"unknown option {other}"),
            };
        }

        return options;
    }
}
