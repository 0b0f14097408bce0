using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Benchmarks.ContainerStart.Measurement;
using Berth.Benchmarks.ContainerStart.Processes;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ContainerStart.Report;

/// <summary>What the numbers were measured on: enough to tell whether two runs are comparable.</summary>
internal sealed record MachineDescription(IReadOnlyList<(string Name, string Value)> Facts)
{
    public static MachineDescription Describe(CgroupLayout layout) => new(
    [
        ("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("cores", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
        ("CPU", FirstValue("/proc/cpuinfo", "model name") ?? "unknown"),
        ("memory", string.Create(CultureInfo.InvariantCulture, $"{ProcMemory.Meminfo("MemTotal") / (double)(1L << 30):0.0} GiB")),
        ("OS", FirstValue("/etc/os-release", "PRETTY_NAME")?.Trim('"') ?? "unknown"),
        ("kernel", File.ReadAllText("/proc/sys/kernel/osrelease").Trim()),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("cgroups", layout.Mode.ToString().ToLowerInvariant()),
        ("busybox", FirstLine("busybox", "--help") ?? "missing"),
        ("crun", FirstLine("crun", "--version") ?? "not installed"),
        ("runc", FirstLine("runc", "--version") ?? "not installed"),
    ]);

    /// <summary>The value of the first <c>key: value</c> or <c>key=value</c> line.</summary>
    private static string? FirstValue(string file, string key) =>
        File.Exists(file)
            ? File.ReadLines(file)
                .Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOfAny([':', '=']) + 1)..].Trim())
                .FirstOrDefault()
            : null;

    private static string? FirstLine(string tool, string argument)
    {
        if (ToolLocator.Find(tool) is not { } path)
        {
            return null;
        }

        using var process = Process.Start(new ProcessStartInfo(path, argument) { RedirectStandardOutput = true, RedirectStandardError = true });
        if (process is null)
        {
            return null;
        }

        var first = process.StandardOutput.ReadLine();
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return first?.Trim();
    }
}
