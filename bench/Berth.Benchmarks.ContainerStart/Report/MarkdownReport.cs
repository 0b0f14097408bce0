using System.Globalization;
using Berth.Benchmarks.ContainerStart.Measurement;

namespace Berth.Benchmarks.ContainerStart.Report;

/// <summary>
/// The results as markdown, ready for docs/benchmarks.md: start to exit, Berth's phases, memory per container, and
/// the machine with its load. A contender without numbers says why.
/// </summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        if (report.Options.Latency)
        {
            WriteLatency(output, report);
        }

        if (report.Options.Memory)
        {
            WriteMemory(output, report);
        }

        WriteMachine(output, report);
    }

    private static void WriteLatency(TextWriter output, BenchReport report)
    {
        var summaries = report.Latency
            .Where(r => r.Failure is null && r.Runs.Count > 0)
            .ToDictionary(r => r.Key, r => LatencySummary.Of(r.Runs.Select(t => t.Total)), StringComparer.Ordinal);
        var bare = summaries.GetValueOrDefault("bare");
        TimeSpan? Overhead(string key) => bare is not null && summaries.TryGetValue(key, out var s) ? s.P50 - bare.P50 : null;
        var crunOverhead = Overhead("crun");
        var runcOverhead = Overhead("runc");

        output.WriteLine(Invariant($"### Start to exit of `/bin/true` ({report.Options.Runs} runs each, interleaved, after {report.Options.Warmup} warm-up rounds)"));
        output.WriteLine();
        WriteHeader(output, "contender", "runs", "p50", "p99", "mean", "p50 over bare", "p99 over bare", "overhead ÷ crun's", "overhead ÷ runc's");
        foreach (var key in report.ContenderKeys)
        {
            var name = NameOf(report, key);
            if (Unmeasured(report, key) is { } reason)
            {
                output.WriteLine($"| {name} | {reason} ||||||||");
                continue;
            }

            var s = summaries[key];
            var overhead = Overhead(key);
            output.WriteLine(Invariant(
                $"| {name} | {s.Count} | {Ms(s.P50)} | {Ms(s.P99)} | {Ms(s.Mean)} | {(key == "bare" ? "—" : Ms(overhead))} | {(key == "bare" || bare is null ? "—" : Ms(s.P99 - bare.P99))} | {Ratio(key, overhead, crunOverhead)} | {Ratio(key, overhead, runcOverhead)} |"));
        }

        output.WriteLine();
        output.WriteLine("Times in milliseconds, from asking for the start to the exit seen and the container removed. Overhead: a contender's p50 (p99) less the bare spawn's; the ratios divide Berth's overhead by the OCI runtime's.");
        output.WriteLine();
        WritePhases(output, report);
        WriteCpu(output, report);
        WriteGoal(output, summaries, bare);
    }

    private static void WriteCpu(TextWriter output, BenchReport report)
    {
        var measured = report.Latency.Where(r => r.Failure is null && r.Runs.Count > 0).ToList();
        var cpu = measured.ToDictionary(r => r.Key, r => LatencySummary.Of(r.Runs.Select(t => t.Cpu.Total)), StringComparer.Ordinal);
        var bare = cpu.GetValueOrDefault("bare");
        TimeSpan? Overhead(string key) => bare is not null && cpu.TryGetValue(key, out var s) ? s.Mean - bare.Mean : null;

        output.WriteLine("CPU time per run, which the machine's load hardly changes: user and system, of this process (for Berth, the host's side) and of the children it waited for (the bare process; the init and the service; crun or runc and the container's process):");
        output.WriteLine();
        WriteHeader(output, "contender", "p50", "p99", "mean", "mean: this process", "mean: children", "mean over bare", "overhead ÷ crun's");
        foreach (var result in measured)
        {
            var s = cpu[result.Key];
            var overhead = Overhead(result.Key);
            var self = TimeSpan.FromTicks((long)result.Runs.Average(r => r.Cpu.Self.Ticks));
            var children = TimeSpan.FromTicks((long)result.Runs.Average(r => r.Cpu.Children.Ticks));
            output.WriteLine(Invariant(
                $"| {result.Name} | {Ms(s.P50)} | {Ms(s.P99)} | {Ms(s.Mean)} | {Ms(self)} | {Ms(children)} | {(result.Key == "bare" ? "—" : Ms(overhead))} | {Ratio(result.Key, overhead, Overhead("crun"))} |"));
        }

        output.WriteLine();
    }

    private static void WritePhases(TextWriter output, BenchReport report)
    {
        var berth = report.Latency.Where(r => r.Failure is null && r.Runs.Count > 0 && r.Runs[0].Running is not null).ToList();
        if (berth.Count == 0)
        {
            return;
        }

        output.WriteLine("Berth's runs in phases: wall time p50 / p99 from the same start, and the host's (this process's) mean CPU time until the service runs and after it (the exit and the removal). The init's own CPU time is counted only when it is reaped, so it is in the table below, not split here.");
        output.WriteLine();
        WriteHeader(output, "contender", "service running (`StartAsync` returned)", "exit seen", "container removed (`DisposeAsync` done)", "host CPU mean: to running / after");
        foreach (var result in berth)
        {
            var running = LatencySummary.Of(result.Runs.Select(r => r.ToRunning!.Value));
            var exited = LatencySummary.Of(result.Runs.Select(r => r.ToExit));
            var removed = LatencySummary.Of(result.Runs.Select(r => r.Total));
            TimeSpan Mean(Func<RunTiming, TimeSpan> of) => TimeSpan.FromTicks((long)result.Runs.Average(r => of(r).Ticks));
            var startHost = Mean(r => r.CpuToRunning!.Value.Self);
            var afterHost = Mean(r => r.Cpu.Self) - startHost;
            output.WriteLine(Invariant(
                $"| {result.Name} | {Ms(running.P50)} / {Ms(running.P99)} | {Ms(exited.P50)} / {Ms(exited.P99)} | {Ms(removed.P50)} / {Ms(removed.P99)} | {Ms(startHost)} / {Ms(afterHost)} |"));
        }

        output.WriteLine();
    }

    private static void WriteGoal(TextWriter output, Dictionary<string, LatencySummary> summaries, LatencySummary? bare)
    {
        if (bare is null || !summaries.TryGetValue("crun", out var crun))
        {
            output.WriteLine("Goal (Berth's overhead over a bare spawn below crun's): not judged, the run lacks the bare spawn or crun.");
            output.WriteLine();
            return;
        }

        var crunOverhead = crun.P50 - bare.P50;
        foreach (var key in new[] { "berth-managed", "berth-aot" }.Where(summaries.ContainsKey))
        {
            var overhead = summaries[key].P50 - bare.P50;
            var verdict = overhead < crunOverhead ? "below" : "not below";
            output.WriteLine(Invariant($"- Goal, {key}: p50 overhead {Ms(overhead)} ms, {verdict} crun's {Ms(crunOverhead)} ms{(overhead < TimeSpan.FromMilliseconds(10) ? ", single-digit" : string.Empty)}."));
        }

        output.WriteLine();
    }

    private static void WriteMemory(TextWriter output, BenchReport report)
    {
        output.WriteLine(Invariant($"### Host memory per running container ({report.Options.MemoryContainers} `sleep` containers at once, median of {report.Options.MemoryRounds} rounds)"));
        output.WriteLine();
        WriteHeader(output, "contender", "service PSS", "host process growth", "kernel (unreclaimable)", "total", "MemAvailable drop", "total, each round");
        foreach (var key in report.ContenderKeys)
        {
            var name = NameOf(report, key);
            var result = report.Memory.FirstOrDefault(m => m.Key == key);
            if (report.Skipped.FirstOrDefault(s => s.Key == key) is { } skipped)
            {
                output.WriteLine($"| {name} | skipped: {skipped.Reason} ||||||");
            }
            else if (result?.PerContainer is not { } m)
            {
                output.WriteLine($"| {name} | {(result?.Failure is { } failure ? $"failed: {failure}" : "not measured")} ||||||");
            }
            else
            {
                output.WriteLine(Invariant(
                    $"| {name} | {KiB(m.ServicePss)} | {KiB(m.HostGrowth)} | {KiB(m.Kernel)} | **{KiB(m.Total)}** | {KiB(m.AvailableDrop)} | {string.Join(", ", result.Rounds.Select(r => KiB(r.Total)))} |"));
            }
        }

        output.WriteLine();
        output.WriteLine("KiB per container. Service PSS: the processes the contender leaves running (for all of these, the service alone). Host process growth: this harness's anonymous memory, which for Berth is the host's (a thread per container, its stack and its objects). Kernel: unreclaimable slab, kernel stacks, page tables and per-CPU memory from /proc/meminfo, machine-wide. Total: the three added. MemAvailable drop: machine-wide and the noisiest.");
        output.WriteLine();
    }

    private static void WriteMachine(TextWriter output, BenchReport report) => MachineTable.Write(output, "### Machine and load",
    [
        .. report.Machine.Facts,
        report.Load.Fact,
        ("duration", Invariant($"{report.Duration.TotalMinutes:0.0} min")),
    ]);

    /// <summary>A table's header: the first column left-aligned, the figures right-aligned.</summary>
    private static void WriteHeader(TextWriter output, params string[] columns)
    {
        output.WriteLine($"| {string.Join(" | ", columns)} |");
        output.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---:|", columns.Length - 1))}");
    }

    private static string? Unmeasured(BenchReport report, string key) =>
        report.Skipped.FirstOrDefault(s => s.Key == key) is { } skipped ? $"skipped: {skipped.Reason}"
        : report.Latency.FirstOrDefault(r => r.Key == key) is not { } result ? "not measured"
        : result.Failure is { } failure ? $"failed: {failure}"
        : result.Runs.Count == 0 ? "no runs"
        : null;

    private static string NameOf(BenchReport report, string key) =>
        report.Latency.FirstOrDefault(r => r.Key == key)?.Name
        ?? report.Memory.FirstOrDefault(m => m.Key == key)?.Name
        ?? report.Skipped.FirstOrDefault(s => s.Key == key)?.Name
        ?? key;

    private static string Ratio(string key, TimeSpan? overhead, TimeSpan? referenceOverhead) =>
        key is "bare" || overhead is null || referenceOverhead is not { } r || r <= TimeSpan.Zero
            ? "—"
            : (overhead.Value / r).ToString("0.00", s_invariant);

    private static string Ms(TimeSpan? time) => time is { } t ? t.TotalMilliseconds.ToString("0.00", s_invariant) : "—";

    private static string KiB(long bytes) => (bytes / 1024.0).ToString("#,0", s_invariant);

    private static string Invariant(FormattableString text) => text.ToString(s_invariant);
}
