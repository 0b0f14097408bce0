using System.Globalization;
using Berth.Benchmarks.ImageStart.Contenders;
using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Report;

/// <summary>
/// The results as markdown, ready for docs/benchmarks.md: per image, each contender's medians and ranges, the
/// ratios between cold and cached and between Berth and the others, what each run includes, the exact Podman
/// command, what the checks for leftovers found, and the machine with its load. A contender without numbers says why.
/// </summary>
internal static class MarkdownImageReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, ImageReport report)
    {
        output.WriteLine(Invariant($"### `/bin/true` from an image, start to exit and removal ({report.Options.Rounds} rounds, interleaved, after {report.Options.Warmup} warm-up rounds)"));
        output.WriteLine();
        foreach (var image in report.Images)
        {
            WriteImage(output, report, image);
        }

        WriteTimed(output, report);
        WriteLeftovers(output, report);
        MachineTable.Write(
            output,
            Invariant($"### Machine (run took {report.Duration.TotalMinutes:0.0} minutes)"),
            [
                .. report.Machine,
                report.Load.Fact,
                ("load averages at the start", report.LoadAveragesAtStart),
                ("load averages at the end", report.LoadAveragesAtEnd),
            ]);
    }

    private static void WriteImage(TextWriter output, ImageReport report, BenchImage image)
    {
        var size = image.Size is { } s
            ? Invariant($"{s.Layers} layer{(s.Layers == 1 ? string.Empty : "s")}, archive {s.ArchiveBytes / 1e6:0.0} MB, unpacked {s.UnpackedBytes / 1e6:0.0} MB in {s.Entries:N0} files, directories and links")
            : "size not measured (Berth's cached contender did not run)";
        output.WriteLine($"**{image.Key}**: {image.Description}; {size}.");
        output.WriteLine();

        var results = report.Results
            .Where(r => r.Image == image.Key && r.Failure is null && r.Runs.Count > 0)
            .ToDictionary(r => r.Contender, StringComparer.Ordinal);
        double? Median(string key, Func<ImageRunTiming, TimeSpan> figure) =>
            results.TryGetValue(key, out var r) ? Stats.Median(r.Runs.Select(t => figure(t).TotalMilliseconds)) : null;
        double? Total(string key) => Median(key, t => t.Total);

        WriteHeader(output, "contender", "runs", "image ready", "container start to removal", "total", "total over bare", "÷ Podman, same state", "÷ runc, same state", "CPU");
        foreach (var contender in report.Contenders)
        {
            var key = contender.Key;
            if (Unmeasured(report, image, key) is { } reason)
            {
                output.WriteLine($"| {contender.Name} | {reason} ||||||||");
                continue;
            }

            var runs = results[key].Runs;
            var state = key == "bare" ? null : key[(key.IndexOf('-', StringComparison.Ordinal) + 1)..];
            var total = Total(key);
            output.WriteLine(Invariant(
                $"| {contender.Name} | {runs.Count} | {(runs.All(t => t.Image == TimeSpan.Zero) ? "—" : Figure(runs, t => t.Image))} | {Figure(runs, t => t.Container)} | **{Figure(runs, t => t.Total)}** | {(key == "bare" ? "—" : Ms(total - Total("bare")))} | {Ratio(total, state is null || key.StartsWith("podman", StringComparison.Ordinal) ? null : Total($"podman-{state}"))} | {Ratio(total, state is null || key.StartsWith("runc", StringComparison.Ordinal) ? null : Total($"runc-{state}"))} | {Figure(runs, t => t.Cpu.Total)} |"));
        }

        output.WriteLine();
        output.WriteLine("Milliseconds, median (lowest–highest) over the rounds. Image ready: the image made ready to start (cold: imported or loaded and unpacked; cached: found); container start to removal: from asking for the container to its exit seen and the container removed; total: both. The ratios divide a row's median total by Podman's (runc's) median total for the same state, cold or cached. CPU: this process and the children it waited for (for Podman, the `podman` commands only: conmon detaches, and runc runs below it).");
        output.WriteLine();
        var lines = new List<string>();
        foreach (var (name, key) in new[] { ("Berth", "berth"), ("Podman", "podman"), ("umoci + runc", "runc") })
        {
            if (Total($"{key}-cold") is { } cold && Total($"{key}-cached") is { } cached)
            {
                lines.Add(Invariant($"{name}: cold ÷ cached {cold / cached:0.00} ({cold - cached:0.0} ms more)"));
            }
        }

        foreach (var state in new[] { "cold", "cached" })
        {
            if (Total($"berth-{state}") is { } berth && Total($"podman-{state}") is { } podman)
            {
                lines.Add(Invariant($"Berth ÷ Podman, {state}: {berth / podman:0.00} ({berth - podman:+0.0;-0.0} ms)"));
            }
        }

        foreach (var line in lines)
        {
            output.WriteLine($"- {line}");
        }

        output.WriteLine();
    }

    private static void WriteTimed(TextWriter output, ImageReport report)
    {
        output.WriteLine("What one run of each contender includes:");
        output.WriteLine();
        output.WriteLine("| contender | one run |");
        output.WriteLine("|---|---|");
        foreach (var contender in report.Contenders)
        {
            output.WriteLine($"| {contender.Name} | {contender.Timed} |");
        }

        output.WriteLine();
        output.WriteLine($"Podman's command: `{PodmanCli.Describe(PodmanCli.RunTrueArguments("IMAGE", "/berth-bench-image-RUN/podman-cold"))}`; `podman load` has the same global flags.");
        output.WriteLine();
    }

    private static void WriteLeftovers(TextWriter output, ImageReport report)
    {
        var leftovers = report.Leftovers;
        output.WriteLine(leftovers.Problems.Count == 0
            ? Invariant($"Leftovers: none after any of the {leftovers.RoundsChecked} rounds (Berth's container state and cgroups, the cold store, runc's containers, bundles and cgroups, Podman's containers, the cold Podman's images, mounts below the workspace).")
            : Invariant($"Leftovers found after {leftovers.Problems.Count} of {leftovers.RoundsChecked} rounds: {string.Join("; ", leftovers.Problems.Take(5))}"));
        output.WriteLine();
    }

    private static string? Unmeasured(ImageReport report, BenchImage image, string key) =>
        report.Skipped.TryGetValue(key, out var reason) ? $"skipped: {reason}"
        : report.Results.FirstOrDefault(r => r.Contender == key && r.Image == image.Key) is not { } result ? "not run"
        : result.Failure is { } failure ? $"failed: {failure.ReplaceLineEndings(" ")}"
        : result.Runs.Count == 0 ? "no runs"
        : null;

    private static string Figure(IReadOnlyList<ImageRunTiming> runs, Func<ImageRunTiming, TimeSpan> figure)
    {
        var values = runs.Select(t => figure(t).TotalMilliseconds).ToList();
        return Stats.Median(values) is { } median && Stats.Range(values) is var (low, high)
            ? Invariant($"{Ms(median)} ({Ms(low)}–{Ms(high)})")
            : "—";
    }

    private static string Ms(double? milliseconds) => milliseconds is { } value ? value.ToString(value < 100 ? "0.0" : "0", s_invariant) : "—";

    private static string Ratio(double? value, double? against) =>
        value is { } v && against is { } a && a > 0 ? (v / a).ToString("0.00", s_invariant) : "—";

    private static void WriteHeader(TextWriter output, params string[] columns)
    {
        output.WriteLine($"| {string.Join(" | ", columns)} |");
        output.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---:|", columns.Length - 1))}");
    }

    private static string Invariant(FormattableString text) => text.ToString(s_invariant);
}
