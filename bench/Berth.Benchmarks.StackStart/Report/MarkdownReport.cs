using System.Globalization;
using Berth.Benchmarks.StackStart.Contenders;
using Berth.Benchmarks.StackStart.Measurement;

namespace Berth.Benchmarks.StackStart.Report;

/// <summary>
/// The results as markdown, ready for docs/benchmarks.md: start, memory and stop per contender with their ratios
/// to the floor, Berth's goals judged, where each contender's start and stop time went, the memory by kind of
/// process, every round with the load it ran under, the build checks, and the machine.
/// </summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        var options = report.Options;
        output.WriteLine(Invariant(
            $"{options.Warmup} unrecorded round(s), then {options.Rounds} measured rounds; in each round every contender starts the five services, is measured and is stopped, one after the other, in an order that rotates from round to round, with {options.Pause.TotalSeconds:0} s of rest after each stop. Figures are medians over the rounds (range in brackets); × floor is the median of each round's ratio to that round's floor."));
        output.WriteLine();
        WriteSummary(output, report);
        WriteGoals(output, report);
        WriteStartTimeline(output, report);
        WriteStopTimeline(output, report);
        WriteRoles(output, report);
        WriteRounds(output, report);
        WriteBuildChecks(output, report);
        WriteMachine(output, report);
    }

    private static void WriteSummary(TextWriter output, BenchReport report)
    {
        output.WriteLine("| contender | rounds | start → all five 200 (s) | × floor | processes | RSS (MiB) | × floor | PSS (MiB) | × floor | CPU to start (s) | CPU start to stop (s) | Ctrl+C → all gone (s) | left after stop |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var contender in report.Contenders)
        {
            var measured = report.Measured(contender.Key);
            var ok = report.Succeeded(contender.Key);
            var left = measured.Sum(r => r.Leftovers.Count);
            output.WriteLine(Invariant(
                $"| {contender.Name} | {ok.Count}/{measured.Count} | {Spread(ok, r => r.AllAnswering?.TotalSeconds, Units.Seconds)} | {RatioToFloor(report, contender, r => r.AllAnswering?.TotalSeconds)} | {Spread(ok, r => r.Settled?.Processes, Units.Count)} | {Spread(ok, r => r.Settled?.Memory.Rss, Units.MiB)} | {RatioToFloor(report, contender, r => r.Settled?.Memory.Rss)} | {Spread(ok, r => r.Settled?.Memory.Pss, Units.MiB)} | {RatioToFloor(report, contender, r => r.Settled?.Memory.Pss)} | {Spread(ok, r => r.AtUp?.Cpu.TotalSeconds, Units.Seconds)} | {Spread(measured, r => (double?)r.CpuTotal.TotalSeconds, Units.Seconds)} | {Spread(measured, r => r.AllGone?.TotalSeconds, Units.Seconds)} | {(left == 0 ? "nothing" : $"**{left} item(s), see the rounds**")} |"));
        }

        output.WriteLine();
        foreach (var contender in report.Contenders)
        {
            output.WriteLine($"- {contender.Name}: `{contender.Command}`");
        }

        output.WriteLine();
        output.WriteLine(Invariant(
            $"Start → all five 200: from asking for the start to the last of the five answering `GET /` with 200 through the address a client uses (the floor's and Aspire's: each service's port; Berth's: the gateway's route, `/svcN/`), each tried every {report.Options.PollInterval.TotalMilliseconds:0} ms. Processes, RSS and PSS: every live process below the benchmark (which makes itself their subreaper, so processes that detach, as Aspire's DCP does, stay counted), {report.Options.Settle.TotalSeconds:0} s after all five answered, from `/proc/PID/smaps_rollup`. CPU to start: user and system time of those processes (and of the children they waited for) once all five answered and each one's `/` and `/health` was checked again (so every contender's services have served both paths), which the machine's load hardly changes; CPU start to stop: of everything the contender started, once all of it was reaped. Ctrl+C → all gone: SIGINT to the processes the contender started (each service for the floor, the host or app host otherwise), as a terminal sends it, to the last process gone."));
        output.WriteLine();
    }

    private static void WriteGoals(TextWriter output, BenchReport report)
    {
        if (report.Contenders.FirstOrDefault(c => c.Key == ContenderKeys.Berth) is not { } berth || report.Succeeded(berth.Key).Count == 0)
        {
            output.WriteLine("- Berth's goals: not judged, Berth did not run or never started.");
            output.WriteLine();
            return;
        }

        var start = MedianRatio(report, berth, r => r.AllAnswering?.TotalSeconds);
        var rss = MedianRatio(report, berth, r => r.Settled?.Memory.Rss);
        var pss = MedianRatio(report, berth, r => r.Settled?.Memory.Pss);
        var stops = report.Measured(berth.Key).Select(r => r.AllGone?.TotalSeconds).ToList();
        var stopMedian = Stats.Median(stops.OfType<double>());
        output.WriteLine(start is { } s
            ? Invariant($"- Goal, start within 1.2× the floor's time: {Verdict(s <= 1.2)}, {Units.Ratio(s)}.")
            : "- Goal, start within 1.2× the floor's time: not judged, no round with both.");
        output.WriteLine(rss is { } r && pss is { } p
            ? Invariant($"- Goal, memory within +15% of the floor's: RSS {Verdict(r <= 1.15)} ({(r - 1) * 100:+0;-0}%), PSS {Verdict(p <= 1.15)} ({(p - 1) * 100:+0;-0}%).")
            : "- Goal, memory within +15% of the floor's: not judged, no round with both.");
        output.WriteLine(stopMedian is { } m
            ? Invariant($"- Goal, stop under 1 s: {Verdict(m < 1 && stops.All(x => x is < 1))}, median {Units.Seconds(m)} s, slowest {(stops.Any(x => x is null) ? "did not finish" : $"{Units.Seconds(stops.Max(x => x!.Value))} s")}.")
            : "- Goal, stop under 1 s: not judged, no stop finished.");
        output.WriteLine();
    }

    /// <summary>Where the start time went: when each contender's output said what, from the start, medians over the rounds.</summary>
    private static void WriteStartTimeline(TextWriter output, BenchReport report)
    {
        output.WriteLine("**Where the start time goes** (seconds from asking for the start, median over the rounds; from each contender's own output, stamped as it arrived):");
        output.WriteLine();
        output.WriteLine($"| point | {string.Join(" | ", report.Contenders.Select(c => c.Key))} |");
        output.WriteLine($"|---|{string.Concat(report.Contenders.Select(_ => "---:|"))}");
        (string Label, Func<RunResult, TimeSpan?> Read)[] rows =
        [
            ("host's first line (Berth: `Starting stack`; Aspire: `Distributed application starting`)", r => r.Timeline.First(TimelineEvents.HostReady)),
            ("first replica `starting` (its container being made)", r => r.Timeline.First(TimelineEvents.Starting)),
            ("last replica `started` (its container runs)", r => r.Timeline.Last(TimelineEvents.Started, 5)),
            ("first service listening (`Now listening on:`)", r => r.Timeline.First(TimelineEvents.Listening)),
            ("last service listening", r => r.Timeline.Last(TimelineEvents.Listening, 5)),
            ("last replica `healthy` (first health check passed; joins the routes)", r => r.Timeline.Last(TimelineEvents.Healthy, 5)),
            ("stack up (Berth: `is up in`; Aspire: `Distributed application started`)", r => r.Timeline.First(TimelineEvents.Up)),
            ("all five answer 200 (the benchmark's probes)", r => r.AllAnswering),
        ];
        foreach (var (label, read) in rows)
        {
            output.WriteLine($"| {label} | {string.Join(" | ", report.Contenders.Select(c => Median(report.Succeeded(c.Key), read)))} |");
        }

        output.WriteLine();
        foreach (var contender in report.Contenders.Where(c => c.Key is ContenderKeys.Berth))
        {
            var berth = report.Succeeded(contender.Key);
            var containerStarts = PerReplica(berth, TimelineEvents.Starting, TimelineEvents.Started);
            var healthLags = PerReplica(berth, TimelineEvents.Listening, TimelineEvents.Healthy);
            var afterUp = berth.Where(r => r.Timeline.First(TimelineEvents.Up) is not null).Select(r => (r.AllAnswering!.Value - r.Timeline.First(TimelineEvents.Up)!.Value).TotalSeconds);
            output.WriteLine(Invariant($"- {contender.Key}, per replica: container start (`starting` → `started`) {MedianAndMax(containerStarts)}; listening → `healthy` (the wait for the health check) {MedianAndMax(healthLags)}; `is up` → all five answer {MedianAndMax(afterUp)}."));
        }

        output.WriteLine();
    }

    private static void WriteStopTimeline(TextWriter output, BenchReport report)
    {
        output.WriteLine("**Where the stop time goes** (seconds from Ctrl+C, median over the rounds):");
        output.WriteLine();
        output.WriteLine($"| point | {string.Join(" | ", report.Contenders.Select(c => c.Key))} |");
        output.WriteLine($"|---|{string.Concat(report.Contenders.Select(_ => "---:|"))}");
        (string Label, Func<RunResult, TimeSpan?> Read)[] rows =
        [
            ("host's `Stopping stack`", r => r.Timeline.First(TimelineEvents.Stopping) - r.StopRequested),
            ("last replica `stopped` (container removed)", r => r.Timeline.Last(TimelineEvents.Stopped, 5) - r.StopRequested),
            ("host's `stopped in`", r => r.Timeline.First(TimelineEvents.StackStopped) - r.StopRequested),
            ("the processes it started have exited", r => r.RootsExited),
            ("all its processes gone", r => r.AllGone),
        ];
        foreach (var (label, read) in rows)
        {
            output.WriteLine($"| {label} | {string.Join(" | ", report.Contenders.Select(c => Median(report.Measured(c.Key), read)))} |");
        }

        output.WriteLine();
    }

    private static void WriteRoles(TextWriter output, BenchReport report)
    {
        output.WriteLine(Invariant($"**By kind of process** (memory {report.Options.Settle.TotalSeconds:0} s after all five answered, CPU time as in the column CPU to start; medians over the rounds):"));
        output.WriteLine();
        output.WriteLine("| contender | process | count | RSS (MiB) | PSS (MiB) | CPU to start (s) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var contender in report.Contenders)
        {
            var rounds = report.Succeeded(contender.Key);
            foreach (var role in rounds.SelectMany(r => r.Settled!.Roles.Select(s => s.Role)).Distinct(StringComparer.Ordinal))
            {
                RoleSample Of(ProcessSample? sample) => sample?.Roles.FirstOrDefault(s => s.Role == role) ?? new RoleSample(role, 0, default, TimeSpan.Zero);
                var settled = rounds.Select(r => Of(r.Settled)).ToList();
                var atUp = rounds.Select(r => Of(r.AtUp)).ToList();
                output.WriteLine(Invariant(
                    $"| {contender.Key} | {role} | {Units.Count(Stats.Median(settled.Select(r => (double)r.Processes))!.Value)} | {Units.MiB(Stats.Median(settled.Select(r => (double)r.Memory.Rss))!.Value)} | {Units.MiB(Stats.Median(settled.Select(r => (double)r.Memory.Pss))!.Value)} | {Units.Seconds(Stats.Median(atUp.Select(r => r.Cpu.TotalSeconds))!.Value)} |"));
            }
        }

        output.WriteLine();
    }

    private static void WriteRounds(TextWriter output, BenchReport report)
    {
        output.WriteLine("**Every round** (load averages for 1, 5 and 15 minutes, as `uptime` shows them, read just before the start):");
        output.WriteLine();
        output.WriteLine("| round | contender | load | start → all five 200 (s) | processes | threads | RSS (MiB) | PSS (MiB) | CPU to start (s) | Ctrl+C → all gone (s) | notes |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in report.Results)
        {
            var notes = new List<string>();
            if (r.Failure is { } failure)
            {
                notes.Add($"failed: {failure.Split('\n')[0]}");
            }

            notes.AddRange(r.Leftovers.Select(l => $"left: {l}"));
            output.WriteLine(Invariant(
                $"| {(r.Warmup ? $"warm-up {r.Round}" : r.Round.ToString(s_invariant))} | {r.Contender} | {r.Load} | {Opt(r.AllAnswering?.TotalSeconds, Units.Seconds)} | {Opt(r.Settled?.Processes, Units.Count)} | {Opt(r.Settled?.Threads, Units.Count)} | {Opt(r.Settled?.Memory.Rss, Units.MiB)} | {Opt(r.Settled?.Memory.Pss, Units.MiB)} | {Opt(r.AtUp?.Cpu.TotalSeconds, Units.Seconds)} | {Opt(r.AllGone?.TotalSeconds, Units.Seconds)} | {string.Join("; ", notes).Replace("|", "\\|", StringComparison.Ordinal)} |"));
        }

        output.WriteLine();
    }

    private static void WriteBuildChecks(TextWriter output, BenchReport report)
    {
        if (report.BuildChecks.Count == 0)
        {
            return;
        }

        output.WriteLine("**The build check**: what `dotnet run` spends before it starts anything when nothing changed (a no-op `dotnet build`, timed after the full build); not part of the start times above.");
        output.WriteLine();
        output.WriteLine("| project | command | runs | median (s) | range (s) |");
        output.WriteLine("|---|---|---:|---:|---:|");
        foreach (var check in report.BuildChecks)
        {
            var seconds = check.Durations.Select(d => d.TotalSeconds).ToList();
            output.WriteLine(Invariant($"| {check.Name} | `{check.Command}` | {seconds.Count} | {Units.Seconds(Stats.Median(seconds)!.Value)} | {Units.Seconds(seconds.Min())}–{Units.Seconds(seconds.Max())} |"));
        }

        output.WriteLine();
    }

    private static void WriteMachine(TextWriter output, BenchReport report)
    {
        var loads = report.Results.Select(r => r.Load.One).ToList();
        MachineTable.Write(output, "**Machine and load**",
        [
            .. report.Machine.Facts,
            ("load averages (1, 5, 15 min)", Invariant($"{report.FirstLoad} at the start, {report.LastLoad} at the end; 1-minute {(loads.Count > 0 ? $"{loads.Min():0.00} to {loads.Max():0.00} before the rounds' starts" : "not read")}")),
            ("duration", Invariant($"{report.Duration.TotalMinutes:0.0} min, with the builds and build checks it did")),
        ]);
    }

    /// <summary>The median with the range in brackets, of the rounds that have the figure.</summary>
    private static string Spread<T>(IEnumerable<RunResult> rounds, Func<RunResult, T?> read, Func<double, string> format)
        where T : struct, IConvertible
    {
        var values = rounds.Select(read).OfType<T>().Select(v => v.ToDouble(s_invariant)).ToList();
        return values.Count == 0 ? "—"
            : values.Count == 1 ? format(values[0])
            : $"{format(Stats.Median(values)!.Value)} ({format(values.Min())}–{format(values.Max())})";
    }

    private static string RatioToFloor<T>(BenchReport report, IContender contender, Func<RunResult, T?> read)
        where T : struct, IConvertible
        => contender.Key == ContenderKeys.Floor ? "1" : MedianRatio(report, contender, read) is { } ratio ? Units.Ratio(ratio) : "—";

    /// <summary>The median over rounds of the contender's figure divided by the floor's in the same round.</summary>
    private static double? MedianRatio<T>(BenchReport report, IContender contender, Func<RunResult, T?> read)
        where T : struct, IConvertible
    {
        var floor = report.Succeeded(ContenderKeys.Floor).ToDictionary(r => r.Round);
        return Stats.Median(report.Succeeded(contender.Key)
            .Where(r => floor.ContainsKey(r.Round) && read(r) is not null && read(floor[r.Round]) is not null)
            .Select(r => read(r)!.Value.ToDouble(s_invariant) / read(floor[r.Round])!.Value.ToDouble(s_invariant)));
    }

    private static string Median(IEnumerable<RunResult> rounds, Func<RunResult, TimeSpan?> read) =>
        Stats.Median(rounds.Select(read).OfType<TimeSpan>().Select(t => t.TotalSeconds)) is { } median ? Units.Seconds(median) : "—";

    /// <summary>For each replica of each round, the time from one of its events to another.</summary>
    private static List<double> PerReplica(IEnumerable<RunResult> rounds, string from, string to) =>
        [.. rounds.SelectMany(r => Enumerable.Range(1, 5)
            .Select(i => $"svc{i}-1")
            .Select(replica => r.Timeline.For(to, replica) - r.Timeline.For(from, replica))
            .OfType<TimeSpan>()
            .Select(t => t.TotalSeconds))];

    private static string MedianAndMax(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "not seen" : $"median {Units.Seconds(Stats.Median(list)!.Value)} s, at most {Units.Seconds(list.Max())} s";
    }

    private static string Opt<T>(T? value, Func<double, string> format)
        where T : struct, IConvertible
        => value is { } v ? format(v.ToDouble(s_invariant)) : "—";

    private static string Verdict(bool met) => met ? "**met**" : "**not met**";

    private static string Invariant(FormattableString text) => text.ToString(s_invariant);
}
