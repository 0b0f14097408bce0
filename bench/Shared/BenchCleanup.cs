using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Benchmarks.Shared;

/// <summary>
/// A benchmark run's cleanup: each step runs even if one before it failed, and the failures are reported together
/// in one line. Also where a run's cgroup parent is in each hierarchy, for the harnesses that give the Berth runtime
/// one (relative to this process's own cgroup, as the runtime takes it). Shared by the benchmark harnesses.
/// </summary>
internal sealed class BenchCleanup
{
    private readonly List<string> _problems = [];

    public async Task StepAsync(string what, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _problems.Add($"{what}: {e.Message}");
        }
    }

    /// <summary>Berth's containers in a state directory, below a cgroup parent, whose host is gone (the runtime's own leftover removal).</summary>
    public Task BerthContainersAsync(string stateDirectory, string cgroupParent) =>
        Directory.Exists(stateDirectory)
            ? StepAsync("Berth containers", () => new ContainerRuntime(new ContainerRuntimeOptions
            {
                StateDirectory = stateDirectory,
                CgroupParent = cgroupParent,
            }).RemoveLeftoversAsync())
            : Task.CompletedTask;

    /// <summary>The last step: the run directory itself; then says what was left behind, if anything was.</summary>
    public async Task FinishAsync(RunDirectory run, TextWriter log)
    {
        await StepAsync("workspace", () => Task.Run(run.Remove)).ConfigureAwait(false);
        await ReportAsync(run.Path, log).ConfigureAwait(false);
    }

    /// <summary>Says what was left behind, if anything was.</summary>
    private async Task ReportAsync(string directory, TextWriter log)
    {
        if (_problems.Count > 0)
        {
            await log.WriteLineAsync($"Cleanup of {directory} left something behind: {string.Join("; ", _problems)}").ConfigureAwait(false);
        }
    }

    /// <summary>A cgroup parent (<c>berth/bench-…</c>) in every hierarchy: below this process's own cgroup.</summary>
    public static IReadOnlyList<string> CgroupParentDirectories(string cgroupParent) =>
        [.. CgroupLayout.Detect().Hierarchies.Select(h => Path.Combine(h.OwnDirectory, cgroupParent)).Distinct(StringComparer.Ordinal)];

    /// <summary>Removes a cgroup parent in every hierarchy, empty by now: each container's own cgroup was removed with it.</summary>
    public static void RemoveCgroupParent(string cgroupParent)
    {
        foreach (var directory in CgroupParentDirectories(cgroupParent).Where(Directory.Exists))
        {
            Directory.Delete(directory);
        }
    }
}
