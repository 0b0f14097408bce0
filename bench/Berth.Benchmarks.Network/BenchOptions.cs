using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Load;

namespace Berth.Benchmarks.Network;

/// <summary>The command line: the load, the rounds, which paths, which CPU arrangements.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Berth.Benchmarks.Network [options]   (as root)

          --duration S       seconds of each measured wrk run (default 10)
          --warmup S         seconds of the unrecorded wrk run per contender before the rounds (default 5)
          --rounds N         measured rounds, interleaved; the report gives medians (default 3)
          --threads T        wrk threads (default 1)
          --connections C    wrk connections, kept open for the whole run (default 32)
          --only LIST        comma-separated subset of: direct, nginx, gateway, mesh, l4
          --cpus WHICH       shared (no pinning), split (wrk on one core, the servers on the rest) or both (default)
        """;

    public int DurationSeconds { get; init; } = 10;

    public int WarmupSeconds { get; init; } = 5;

    public int Rounds { get; init; } = 3;

    public int Threads { get; init; } = 1;

    public int Connections { get; init; } = 32;

    public IReadOnlySet<string> Contenders { get; init; } = ContenderLineup.Keys.ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<string> Phases { get; init; } = CpuPhase.Keys;

    public WrkSettings Wrk => new(Threads, Connections, TimeSpan.FromSeconds(DurationSeconds), TimeSpan.FromSeconds(WarmupSeconds));

    /// <summary>Parses the arguments; a <see cref="FormatException"/> carries the reason to print with <see cref="Usage"/>.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--duration" => options with { DurationSeconds = OptionValues.Count(Value(), "--duration", minimum: 1) },
                "--warmup" => options with { WarmupSeconds = OptionValues.Count(Value(), "--warmup", minimum: 1) },
                "--rounds" => options with { Rounds = OptionValues.Count(Value(), "--rounds", minimum: 1) },
                "--threads" => options with { Threads = OptionValues.Count(Value(), "--threads", minimum: 1) },
                "--connections" => options with { Connections = OptionValues.Count(Value(), "--connections", minimum: 1) },
                "--only" => options with { Contenders = OptionValues.Subset(Value(), "--only", ContenderLineup.Keys) },
                "--cpus" => options with { Phases = Value() switch
                {
                    "both" => CpuPhase.Keys,
                    var one when CpuPhase.Keys.Contains(one) => [one],
                    var other => throw new FormatException($"--cpus takes shared, split or both, not '{other}'"),
                } },
                var other => throw new FormatException($"unknown option {other}"),
            };
        }

        return options.Threads <= options.Connections
            ? options
            : throw new FormatException("wrk needs at least as many connections as threads");
    }
}
