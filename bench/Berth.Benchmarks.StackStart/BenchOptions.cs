using Berth.Benchmarks.StackStart.Contenders;

namespace Berth.Benchmarks.StackStart;

/// <summary>The command line: how many rounds, which contenders, how long to wait for what.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Berth.Benchmarks.StackStart [options]   (as root)

          --rounds N          measured rounds; the contenders take turns within each, in a rotating order (default 5)
          --warmup N          unrecorded rounds first (default 1)
          --only LIST         comma-separated subset of: floor, berth, aspire (the floor is always run, as the reference)
          --settle S          seconds between all five answering and the memory reading (default 2)
          --pause S           seconds of rest after each stop, before the next start (default 3)
          --poll-ms MS        how often each service's URL is tried until it answers 200 (default 20)
          --start-timeout S   a start that has not answered by then fails the round (default 120)
          --build-checks N    times each stack project's no-op `dotnet build` is timed, before the rounds (default 3; 0: none)
          --no-build          use the workloads as they were last built (after a first full run)
          --berth-env N=V     an environment variable for the Berth host (not its services), to try a runtime
                              setting (DOTNET_TieredPGO=0, …); may be given more than once
        """;

    public int Rounds { get; init; } = 5;

    public int Warmup { get; init; } = 1;

    public IReadOnlySet<string> Contenders { get; init; } = ContenderKeys.Default.ToHashSet(StringComparer.Ordinal);

    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Pause { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public int BuildChecks { get; init; } = 3;

    public bool Build { get; init; } = true;

    /// <summary>Extra environment variables for the Berth host process, for experiments; the report shows them.</summary>
    public IReadOnlyDictionary<string, string> BerthEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Parses the arguments; a <see cref="FormatException"/> carries the reason to print with <see cref="Usage"/>.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = OptionValues.Count(Value(), "--rounds", minimum: 1) },
                "--warmup" => options with { Warmup = OptionValues.Count(Value(), "--warmup", minimum: 0) },
                "--only" => options with { Contenders = Subset(Value()) },
                "--settle" => options with { Settle = TimeSpan.FromSeconds(OptionValues.Count(Value(), "--settle", minimum: 0)) },
                "--pause" => options with { Pause = TimeSpan.FromSeconds(OptionValues.Count(Value(), "--pause", minimum: 0)) },
                "--poll-ms" => options with { PollInterval = TimeSpan.FromMilliseconds(OptionValues.Count(Value(), "--poll-ms", minimum: 1)) },
                "--start-timeout" => options with { StartTimeout = TimeSpan.FromSeconds(OptionValues.Count(Value(), "--start-timeout", minimum: 1)) },
                "--build-checks" => options with { BuildChecks = OptionValues.Count(Value(), "--build-checks", minimum: 0) },
                "--no-build" => options with { Build = false },
                "--berth-env" => options with { BerthEnvironment = With(options.BerthEnvironment, Value()) },
                var other => throw new FormatException($"unknown option {other}"),
            };
        }

        return options;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new Dictionary<string, string>(environment, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] }
            : throw new FormatException($"--berth-env takes NAME=VALUE, not '{assignment}'");
    }

    /// <summary>The contenders named, and the floor: every figure in the report is read against it.</summary>
    private static HashSet<string> Subset(string list)
    {
        var keys = OptionValues.Subset(list, "--only", ContenderKeys.All);
        keys.Add(ContenderKeys.Floor);
        return keys;
    }
}
