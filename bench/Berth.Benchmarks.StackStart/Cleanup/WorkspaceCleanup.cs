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
        foreach (var parent in workspace.CgroupParents)
        {
            await cleanup.BerthContainersAsync(workspace.BerthState, parent).ConfigureAwait(false);
        }

        foreach (var parent in workspace.CgroupParents)
        {
            await cleanup.StepAsync("cgroups", () => Task.Run(() => BenchCleanup.RemoveCgroupParent(parent))).ConfigureAwait(false);
        }

        await cleanup.FinishAsync(workspace.Run, log).ConfigureAwait(false);
    }
}
