using Berth.Benchmarks.Network.Proxies;
using Berth.Runtime.Containers;

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
        if (Directory.Exists(workspace.BerthState))
        {
            await cleanup.StepAsync("Berth containers", () => new ContainerRuntime(new ContainerRuntimeOptions
            {
                StateDirectory = workspace.BerthState,
                CgroupParent = workspace.CgroupParent,
            }).RemoveLeftoversAsync()).ConfigureAwait(false);
        }

        await cleanup.StepAsync("cgroups", () => Task.Run(() => BenchCleanup.RemoveCgroupParent(workspace.CgroupParent))).ConfigureAwait(false);
        await cleanup.StepAsync("workspace", () => Task.Run(workspace.Run.Remove)).ConfigureAwait(false);
        await cleanup.ReportAsync(workspace.Directory, log).ConfigureAwait(false);
    }
}
