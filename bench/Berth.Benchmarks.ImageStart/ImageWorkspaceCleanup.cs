using Berth.Benchmarks.ImageStart.Contenders;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.ImageStart;

/// <summary>
/// Removes everything a run made, whether it ended normally, was interrupted, or was killed and is cleaned up by a
/// later run: Podman's containers and images (through Podman, so its own records go too) and the mounts its storage
/// keeps, runc's containers, Berth's containers whose host is gone, every cgroup named after the run, and the
/// workspace. Each step runs even if one before it failed; the failures are reported together.
/// </summary>
internal static class ImageWorkspaceCleanup
{
    public static async Task RunAsync(ImageBenchWorkspace workspace, TextWriter log)
    {
        var cleanup = new BenchCleanup();
        foreach (var storage in workspace.PodmanStorages.ToList())
        {
            if (PodmanCli.Find(storage) is { } podman)
            {
                await cleanup.StepAsync($"Podman containers and images in {storage}", podman.RemoveAllAsync).ConfigureAwait(false);
            }
        }

        // containers/storage binds its overlay directory onto itself and leaves it mounted when Podman exits.
        await cleanup.StepAsync("Podman's mounts", () => Task.Run(() =>
        {
            foreach (var mountPoint in MountTable.MountPointsBelow(workspace.Directory).OrderByDescending(m => m.Length))
            {
                Mounts.Unmount(mountPoint, detach: true);
            }
        })).ConfigureAwait(false);

        if (Directory.Exists(workspace.RuncState) && ToolLocator.Find("runc") is { } runc)
        {
            await cleanup.StepAsync("runc containers", () => new OciRuntime("runc", runc, workspace.RuncState, DirectLauncher.Instance).DeleteAllAsync()).ConfigureAwait(false);
        }

        await cleanup.BerthContainersAsync(workspace.BerthState, workspace.BerthCgroupParent).ConfigureAwait(false);
        await cleanup.StepAsync("cgroups", () => CgroupSweep.RemoveAsync(workspace.OciCgroupParent, workspace.BerthCgroupParent)).ConfigureAwait(false);
        await cleanup.FinishAsync(workspace.Run, log).ConfigureAwait(false);
    }
}
