using System.Diagnostics;
using System.Globalization;

namespace Berth.Benchmarks.Shared;

/// <summary>Reading facts about the machine for a report's machine table. Shared by the benchmark harnesses.</summary>
internal static class MachineFacts
{
    /// <summary>When, and on what: the date, the cores, the CPU, the memory, the OS and the kernel.</summary>
    /// <param name="coresNote">Said in brackets after the number of cores, if given.</param>
    public static IEnumerable<(string Name, string Value)> Basics(string? coresNote = null) =>
    [
        ("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("cores", string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount}{(coresNote is null ? string.Empty : $" ({coresNote})")}")),
        ("CPU", FirstValue("/proc/cpuinfo", "model name") ?? "unknown"),
        ("memory", string.Create(CultureInfo.InvariantCulture, $"{ProcMemory.Meminfo("MemTotal") / (double)(1L << 30):0.0} GiB")),
        ("OS", FirstValue("/etc/os-release", "PRETTY_NAME")?.Trim('"') ?? "unknown"),
        ("kernel", File.ReadAllText("/proc/sys/kernel/osrelease").Trim()),
    ];

    /// <summary>The value of the first <c>key: value</c> or <c>key=value</c> line of a file, or null.</summary>
    public static string? FirstValue(string file, string key) =>
        File.Exists(file)
            ? File.ReadLines(file)
                .Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOfAny([':', '=']) + 1)..].Trim())
                .FirstOrDefault()
            : null;

    /// <summary>The first line a program prints on standard output when run with one argument (its version), or null.</summary>
    public static string? FirstLine(string program, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, RedirectStandardError = true });
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
