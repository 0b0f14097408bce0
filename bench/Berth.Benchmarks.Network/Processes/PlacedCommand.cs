using Berth.Benchmarks.Network.Contenders;

namespace Berth.Benchmarks.Network.Processes;

/// <summary>
/// A tool's command line placed where it must run: <c>taskset -c CPUS</c> for a pinned phase, then
/// <c>nsenter --net=/proc/PID/ns/net</c> for a container's network, then the tool. Both exec, so the PID started is
/// the tool's own. <see cref="Display"/> is the same command for the report, with the PID and the run's workspace
/// named rather than given (they differ every run).
/// </summary>
internal sealed record PlacedCommand(string Executable, IReadOnlyList<string> Arguments, string Display)
{
    public static PlacedCommand For(BenchTools tools, NetworkNamespace where, string? cpus, string tool, string toolName, IReadOnlyList<string> toolArguments, string workspace)
    {
        var prefix = new List<string>();
        var display = new List<string>();
        if (cpus is not null)
        {
            prefix.AddRange([tools.Taskset ?? throw new InvalidOperationException("Pinning needs taskset."), "-c", cpus]);
            display.AddRange(["taskset", "-c", cpus]);
        }

        if (where.Path is { } path)
        {
            prefix.AddRange([tools.Nsenter ?? throw new InvalidOperationException("A container's network needs nsenter."), $"--net={path}"]);
            display.AddRange(["nsenter", $"--net=/proc/<{where.Label} pid>/ns/net"]);
        }

        display.Add(toolName);
        display.AddRange(toolArguments.Select(a => a.Replace(workspace + "/", string.Empty, StringComparison.Ordinal)));
        List<string> all = [.. prefix, tool, .. toolArguments];
        return new PlacedCommand(all[0], all[1..], string.Join(' ', display));
    }
}
