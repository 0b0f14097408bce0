using System.Globalization;

namespace Berth.Runtime.Containers;

/// <summary>
/// Which host process owns a container: its PID and the kernel's start time for it (field 22 of
/// <c>/proc/PID/stat</c>), written to the container's state directory, so that a later host can tell a live
/// owner from a dead one whose PID was reused.
/// </summary>
internal sealed record ContainerOwner(int Pid, long StartTime)
{
    public const string FileName = "owner";

    public static ContainerOwner Current { get; } = new(Environment.ProcessId, ReadStartTime(Environment.ProcessId) ?? 0);

    public void WriteTo(string containerDirectory) =>
        File.WriteAllText(Path.Combine(containerDirectory, FileName), string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime}\n"));

    /// <summary>The owner recorded in <paramref name="containerDirectory"/>, or null when there is none or it is unreadable.</summary>
    public static ContainerOwner? ReadFrom(string containerDirectory)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(containerDirectory, FileName)).Split(' ', StringSplitOptions.TrimEntries);
            return parts.Length == 2
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
                ? new ContainerOwner(pid, start)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while the owning process runs (the same process, not a later one with its PID).</summary>
    public bool IsAlive => ReadStartTime(Pid) == StartTime;

    private static long? ReadStartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may hold spaces and parentheses; the fields after it are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
