using System.Globalization;

namespace Berth.Benchmarks.Shared;

/// <summary>Memory figures from procfs, in bytes.</summary>
internal static class ProcMemory
{
    /// <summary>
    /// A process's proportional set size: its private pages plus its share of each page it maps with others. The
    /// busybox text every sleeper maps is shared among them, so it counts once across a contender's sleepers, as it
    /// costs the host once.
    /// </summary>
    public static long Pss(int pid) => Field($"/proc/{pid}/smaps_rollup", "Pss:");

    /// <summary>A process's anonymous memory: heap, stacks, private mappings; no file pages, shared or not.</summary>
    public static long Anonymous(int pid) => Field($"/proc/{pid}/smaps_rollup", "Anonymous:");

    public static long Meminfo(string key) => Field("/proc/meminfo", key + ":");

    /// <summary>A <c>Name: N kB</c> line's value.</summary>
    private static long Field(string file, string name)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                var value = line[name.Length..].Trim();
                return long.Parse(value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3] : value, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidDataException($"{file} has no {name} line.");
    }
}
