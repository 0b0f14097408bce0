using Berth.Benchmarks.Network.Proxies;

namespace Berth.Benchmarks.Network;

/// <summary>
/// Removes what a run made once its own teardown has run, or what a killed run left, found by a later one: its
/// nginx (by the PID in its PID file), Berth's containers whose host is gone, the run's cgroup parent, and the
/// workspace. Each step runs even if one before it failed; the failures are reported together.
/// </summary>
internal static class WorkspaceCleanup
{
    public static async Task RunAsync(NetworkWorkspace workspace, TextWriter log)
    {
        var cleanup = new BenchCleanup();
        await cleanup.StepAsync("nginx", () => NginxProxy.StopAbandonedAsync(workspace)).ConfigureAwait(false);
        await cleanup.BerthContainersAsync(workspace.BerthState, workspace.CgroupParent).ConfigureAwait(false);

        await cleanup.StepAsync("cgroups", () => Task.Run(() => BenchCleanup.RemoveCgroupParent(workspace.CgroupParent))).ConfigureAwait(false);
        await cleanup.FinishAsync(workspace.Run, log).ConfigureAwait(false);
    }
}
