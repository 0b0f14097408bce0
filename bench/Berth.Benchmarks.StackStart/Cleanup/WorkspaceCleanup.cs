using Berth.Runtime.Containers;

namespace Berth.Benchmarks.StackStart.Cleanup;

/// <summary>
/// Removes what a run made once its last stack has stopped, or what a killed run left, found by a later one:
/// Berth's containers whose host is gone, the run's cgroup parents, and the workspace. Each step runs even if one
/// before it failed; the failures are reported together.
/// </summary>
internal static class WorkspaceCleanup
{
    public static async Task RunAsync(StackWorkspace workspace, TextWriter log)
    {
        var cleanup = new BenchCleanup();
        if (Directory.Exists(workspace.BerthState))
        {
            foreach (var parent in workspace.CgroupParents)
            {
                await cleanup.StepAsync("Berth containers", () => new ContainerRuntime(new ContainerRuntimeOptions
                {
                    StateDirectory = workspace.BerthState,
                    CgroupParent = parent,
                }).RemoveLeftoversAsync()).ConfigureAwait(false);
            }
        }

        foreach (var parent in workspace.CgroupParents)
        {
            await cleanup.StepAsync("cgroups", () => Task.Run(() => BenchCleanup.RemoveCgroupParent(parent))).ConfigureAwait(false);
        }

        await cleanup.StepAsync("workspace", () => Task.Run(workspace.Run.Remove)).ConfigureAwait(false);
        await cleanup.ReportAsync(workspace.Directory, log).ConfigureAwait(false);
    }
}
