using System.Globalization;

namespace Berth.Benchmarks.StackStart.Processes;

/// <summary>One process as procfs shows it: enough to find a contender's processes and to measure them.</summary>
/// <param name="Cpu">User and system time of the process and of the children it has waited for.</param>
/// <param name="CommandLine">Its arguments joined by spaces; empty until <see cref="WithCommandLine"/>.</param>
internal sealed record ProcessInfo(int Pid, int ParentPid, char State, int Threads, TimeSpan Cpu, string CommandLine)
{
    /// <summary>procfs counts CPU time in USER_HZ, which is 100 on every Linux architecture (proc(5)).</summary>
    private const double TicksPerSecond = 100;

    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>The process from its <c>/proc/PID/stat</c>, or null when it is gone (or went while it was read).</summary>
    public static ProcessInfo? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // pid (comm) state ppid …: comm may hold spaces and parentheses, so fields count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            var cpuTicks = Field(14) + Field(15) + Field(16) + Field(17);
            return new ProcessInfo(pid, (int)Field(4), fields[0][0], (int)Field(20), TimeSpan.FromSeconds(cpuTicks / TicksPerSecond), string.Empty);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>This process with its command line read (empty if it went meanwhile).</summary>
    public ProcessInfo WithCommandLine()
    {
        try
        {
            return this with { CommandLine = File.ReadAllText($"/proc/{Pid}/cmdline").TrimEnd('\0').Replace('\0', ' ') };
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return this;
        }
    }

    /// <summary>
    /// Every process below <paramref name="ancestor"/>, read now. Each process's parent is read from its own stat,
    /// so a process that forks while this runs may be missed, never one that existed before and after.
    /// </summary>
    public static IReadOnlyList<ProcessInfo> DescendantsOf(int ancestor)
    {
        var children = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(Read)
            .OfType<ProcessInfo>()
            .ToLookup(p => p.ParentPid);
        var found = new List<ProcessInfo>();
        var pending = new Queue<int>([ancestor]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in children[parent])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }

        return found;
    }
}
