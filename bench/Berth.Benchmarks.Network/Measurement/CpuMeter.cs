using System.Globalization;
using Berth.Runtime.Containers;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>
/// Takes <see cref="CpuSample"/>s: this process and its waited-for children with getrusage, the backend from its
/// container's cgroup (every process and thread in it, nanoseconds), nginx's processes from <c>/proc/PID/stat</c>
/// (clock ticks: 10 ms, plenty over a run of seconds).
/// </summary>
internal sealed class CpuMeter(Container backend)
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture, whatever the kernel's HZ.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>nginx's master and workers while nginx runs; empty otherwise.</summary>
    public IReadOnlyList<int> NginxPids { get; set; } = [];

    public CpuSample Sample()
    {
        var usage = CpuUsage.Now();
        return new CpuSample(usage.Self, usage.Children, backend.ReadStats().CpuUsage, TimeSpan.FromSeconds(NginxPids.Sum(ProcessTicks) / TicksPerSecond));
    }

    /// <summary>utime + stime of a process (fields 14 and 15 of its stat, after the parenthesised name); 0 once it is gone.</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
