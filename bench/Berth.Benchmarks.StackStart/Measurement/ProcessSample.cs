using Berth.Benchmarks.StackStart.Contenders;
using Berth.Benchmarks.StackStart.Processes;

namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>Every process a contender started, measured at one moment: how many, their threads, memory and CPU time so far.</summary>
/// <param name="Cpu">User and system time of the live processes and of the children they have waited for.</param>
internal sealed record ProcessSample(int Processes, int Threads, ProcessMemory Memory, TimeSpan Cpu, IReadOnlyList<RoleSample> Roles)
{
    /// <summary>Reads every live process below this one (all the running contender's: nothing else runs below it during a round).</summary>
    public static ProcessSample Take(IContender contender, RunningStack stack)
    {
        var processes = ProcessInfo.DescendantsOf(Environment.ProcessId)
            .Where(p => !p.IsZombie)
            .Select(p => (Info: p.WithCommandLine(), Memory: ProcessMemory.Read(p.Pid)))

            // A process that ended while it was read has no command line left: it is not part of the sample.
            .Where(p => p.Info.CommandLine.Length > 0)
            .ToList();
        var roles = processes
            .GroupBy(p => contender.RoleOf(p.Info, stack), StringComparer.Ordinal)
            .Select(g => new RoleSample(g.Key, g.Count(), g.Aggregate(default(ProcessMemory), (sum, p) => sum + p.Memory), g.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Info.Cpu)))
            .ToList();
        return new ProcessSample(
            processes.Count,
            processes.Sum(p => p.Info.Threads),
            processes.Aggregate(default(ProcessMemory), (sum, p) => sum + p.Memory),
            processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Info.Cpu),
            roles);
    }
}

/// <summary>The processes of one kind (the host, the services, DCP's parts) within a <see cref="ProcessSample"/>.</summary>
/// <param name="Cpu">User and system time of these processes and of the children they waited for, so far.</param>
internal sealed record RoleSample(string Role, int Processes, ProcessMemory Memory, TimeSpan Cpu);
