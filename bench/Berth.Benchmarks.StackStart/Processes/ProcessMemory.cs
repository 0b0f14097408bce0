using System.Globalization;

namespace Berth.Benchmarks.StackStart.Processes;

/// <summary>
/// A process's memory from <c>/proc/PID/smaps_rollup</c>. RSS counts every resident page it maps, so pages that
/// several processes share (the .NET runtime's libraries, the framework assemblies) count once per process; PSS
/// divides each shared page among the processes that map it, so the PSS of a set of processes adds up to what the
/// set costs, as long as nothing outside the set maps the same files (another .NET process on the machine does).
/// </summary>
internal readonly record struct ProcessMemory(long Rss, long Pss)
{
    public static ProcessMemory operator +(ProcessMemory a, ProcessMemory b) => new(a.Rss + b.Rss, a.Pss + b.Pss);

    /// <summary>The process's memory, or zero when it is gone or a zombie (which maps nothing).</summary>
    public static ProcessMemory Read(int pid)
    {
        try
        {
            long rss = 0, pss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    pss = Kilobytes(line) * 1024;
                }
            }

            return new ProcessMemory(rss, pss);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return default;
        }
    }

    /// <summary>The number in a <c>Name:   N kB</c> line.</summary>
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
