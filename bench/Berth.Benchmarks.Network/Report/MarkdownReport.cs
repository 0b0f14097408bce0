using System.Globalization;
using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Measurement;

namespace Berth.Benchmarks.Network.Report;

/// <summary>
/// The results as markdown, ready for docs/benchmarks.md: per CPU arrangement a table of throughput, ratio to the
/// direct path, p50 and p99 with the exact wrk command; the goal judged; the machine with its load.
/// </summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        var options = report.Options;
        output.WriteLine(Invariant(
            $"wrk `-t{options.Threads} -c{options.Connections} -d{options.DurationSeconds}s --latency` against a {Backend.BenchBackend.BodyLength}-byte response; one unrecorded {options.WarmupSeconds} s run per path first, then {options.Rounds} rounds with the paths taking turns. Throughput, latency and CPU are medians over the rounds; × direct is the median of each round's ratio to that round's direct run. CPU per request: user and system time during the run divided by the requests, of the proxy (nginx's processes for nginx; for the others this process, which holds the gateway, the mesh and the forwarder, and for the direct path only waits), of the backend's container, and of wrk."));
        output.WriteLine();
        WritePaths(output, report);
        foreach (var phase in report.Phases)
        {
            WritePhase(output, phase);
        }

        foreach (var note in report.Notes)
        {
            output.WriteLine($"- {note}");
        }

        if (report.Notes.Count > 0)
        {
            output.WriteLine();
        }

        WriteMachine(output, report);
    }

    private static void WritePaths(TextWriter output, BenchReport report)
    {
        output.WriteLine("| path | what a request passes through |");
        output.WriteLine("|---|---|");
        foreach (var contender in report.Phases.FirstOrDefault()?.Contenders.Select(c => c.Contender) ?? [])
        {
            output.WriteLine($"| {contender.Name} | {contender.Route} |");
        }

        foreach (var skipped in report.Skipped)
        {
            output.WriteLine($"| {skipped.Name} | skipped: {skipped.Reason} |");
        }

        output.WriteLine();
    }

    private static void WritePhase(TextWriter output, PhaseResult phase)
    {
        output.WriteLine($"### {char.ToUpperInvariant(phase.Phase.Description[0])}{phase.Phase.Description[1..]}");
        output.WriteLine();
        output.WriteLine("| path | requests/s | × direct | p50 (ms) | p99 (ms) | × direct, each round | errors | CPU µs/request: proxy / backend / wrk | command |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        var direct = phase.Contenders.FirstOrDefault(c => c.Contender.Key == ContenderLineup.Direct);
        var summaries = phase.Contenders.ToDictionary(c => c.Contender.Key, c => ContenderSummary.Of(c, direct), StringComparer.Ordinal);
        foreach (var contender in phase.Contenders)
        {
            var command = $"`{contender.Command}`";
            if (summaries[contender.Contender.Key] is not { } s)
            {
                output.WriteLine($"| {contender.Contender.Name} | failed: {contender.Failure ?? "no rounds"} ||||||| {command} |");
                continue;
            }

            var failure = contender.Failure is null ? string.Empty : $" (stopped: {contender.Failure})";
            output.WriteLine(Invariant(
                $"| {contender.Contender.Name}{failure} | {s.RequestsPerSecond:#,0} | {Ratio(s.RatioToDirect)} | {Ms(s.P50)} | {Ms(s.P99)} | {string.Join(", ", s.RoundRatios.Select(r => r.ToString("0.00", s_invariant)))} | {s.Errors} | {s.ProxyCpu:0.0} / {s.BackendCpu:0.0} / {s.WrkCpu:0.0} | {command} |"));
        }

        output.WriteLine();
        if (phase.NginxCommand is { } nginx)
        {
            output.WriteLine($"nginx: `{nginx}` (configuration: see the harness's `NginxConfig`).");
            output.WriteLine();
        }

        WriteGoal(output, summaries);
    }

    private static void WriteGoal(TextWriter output, Dictionary<string, ContenderSummary?> summaries)
    {
        var gateway = summaries.GetValueOrDefault(ContenderLineup.Gateway);
        var nginx = summaries.GetValueOrDefault(ContenderLineup.Nginx);
        output.WriteLine(gateway?.RatioToDirect is { } g && nginx?.RatioToDirect is { } n
            ? Invariant($"- Goal (the gateway's ratio at or above nginx's): {(g >= n ? "**met**" : "**not met**")}, {g:0.00}× against {n:0.00}×; the proxy's CPU per request {gateway.ProxyCpu:0.0} µs against nginx's {nginx.ProxyCpu:0.0} µs.")
            : "- Goal (the gateway's ratio at or above nginx's): not judged, the run lacks the direct path, the gateway or nginx.");
        if (summaries.GetValueOrDefault(ContenderLineup.Layer4) is { RatioToDirect: { } l4 } layer4 && summaries.GetValueOrDefault(ContenderLineup.Direct) is { } direct)
        {
            output.WriteLine(Invariant($"- L4 forwarder against direct: {l4:0.00}× the throughput, p50 {Ms(layer4.P50)} ms against {Ms(direct.P50)} ms."));
        }

        output.WriteLine();
    }

    private static void WriteMachine(TextWriter output, BenchReport report) => MachineTable.Write(output, "### Machine and load",
    [
        .. report.Machine.Facts,
        report.Load.Fact,
        ("duration", Invariant($"{report.Duration.TotalMinutes:0.0} min")),
    ]);

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", s_invariant) : "—";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.00", s_invariant);

    private static string Invariant(FormattableString text) => text.ToString(s_invariant);
}
