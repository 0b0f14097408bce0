using Berth.Benchmarks.ContainerStart.Contenders;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ContainerStart.Cleanup;

/// <summary>
/// Removes everything a run made, whether it ended normally, was interrupted, or was killed and is cleaned up by a
/// later run: crun's and runc's containers (through the runtimes, so their own state goes too), Berth's containers
/// whose host is gone, every cgroup named after the run, and the workspace. Each step runs even if one before it
/// failed; the failures are reported together.
/// </summary>
internal static class WorkspaceCleanup
{
    public static async Task RunAsync(BenchWorkspace workspace, TextWriter log)
    {
        var cleanup = new BenchCleanup();
        foreach (var name in new[] { "crun", "runc" })
        {
            if (Directory.Exists(workspace.OciDirectory(name)) && ToolLocator.Find(name) is { } binary)
            {
                await cleanup.StepAsync($"{name} containers", () => DeleteOciContainersAsync(name, binary, workspace)).ConfigureAwait(false);
            }
        }

        await cleanup.BerthContainersAsync(workspace.BerthState, workspace.BerthCgroupParent).ConfigureAwait(false);

        await cleanup.StepAsync("cgroups", () => CgroupSweep.RemoveAsync(workspace.OciCgroupParent, workspace.BerthCgroupParent)).ConfigureAwait(false);
        await cleanup.FinishAsync(workspace.Run, log).ConfigureAwait(false);
    }

    private static async Task DeleteOciContainersAsync(string name, string binary, BenchWorkspace workspace)
    {
        var runtime = ContenderLineup.OpenOciRuntime(name, binary, workspace, CgroupLayout.Detect(), out var launcher);
        try
        {
            await runtime.DeleteAllAsync().ConfigureAwait(false);
        }
        finally
        {
            launcher?.Dispose();
        }
    }
}
