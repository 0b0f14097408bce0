using Berth.Benchmarks.Network.Proxies;
using Berth.Runtime.Cgroups;
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
        var problems = new List<string>();
        async Task Step(string what, Func<Task> step)
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }

        await Step("nginx", () => NginxProxy.StopAbandonedAsync(workspace)).ConfigureAwait(false);
        if (Directory.Exists(workspace.BerthState))
        {
            await Step("Berth containers", () => new ContainerRuntime(new ContainerRuntimeOptions
            {
                StateDirectory = workspace.BerthState,
                CgroupParent = workspace.CgroupParent,
            }).RemoveLeftoversAsync()).ConfigureAwait(false);
        }

        await Step("cgroups", () => Task.Run(() => RemoveCgroupParent(workspace))).ConfigureAwait(false);
        await Step("workspace", () => Task.Run(() => RemoveDirectory(workspace))).ConfigureAwait(false);

        if (problems.Count > 0)
        {
            await log.WriteLineAsync($"Cleanup of {workspace.Directory} left something behind: {string.Join("; ", problems)}").ConfigureAwait(false);
        }
    }

    /// <summary>The run's parent cgroup in every hierarchy, empty by now: each container's own was removed with it.</summary>
    private static void RemoveCgroupParent(NetworkWorkspace workspace)
    {
        foreach (var parent in CgroupLayout.Detect().Hierarchies.Select(h => Path.Combine(h.OwnDirectory, workspace.CgroupParent)).Distinct(StringComparer.Ordinal))
        {
            if (Directory.Exists(parent))
            {
                Directory.Delete(parent);
            }
        }
    }

    /// <summary>
    /// The workspace's tree, but never through a mount point: Berth mounts inside its containers' namespaces only,
    /// so a mount below the workspace here is unexpected, and a recursive delete would go into it.
    /// </summary>
    private static void RemoveDirectory(NetworkWorkspace workspace)
    {
        var below = workspace.Directory + "/";
        if (File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4]).FirstOrDefault(m => m.StartsWith(below, StringComparison.Ordinal)) is { } mounted)
        {
            throw new IOException($"{mounted} is mounted; left for a person to look at");
        }

        workspace.Dispose();
        Directory.Delete(workspace.Directory, recursive: true);
        try
        {
            // The common parent too, unless another run's workspace is in it.
            Directory.Delete(NetworkWorkspace.RootDirectory);
        }
        catch (IOException)
        {
        }
    }
}
