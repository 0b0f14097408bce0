using Berth.Benchmarks.ContainerStart.Contenders;
using Berth.Benchmarks.ContainerStart.Processes;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

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

        foreach (var name in new[] { "crun", "runc" })
        {
            if (Directory.Exists(workspace.OciDirectory(name)) && ToolLocator.Find(name) is { } binary)
            {
                await Step($"{name} containers", () => DeleteOciContainersAsync(name, binary, workspace)).ConfigureAwait(false);
            }
        }

        if (Directory.Exists(workspace.BerthState))
        {
            await Step("Berth containers", () => new ContainerRuntime(new ContainerRuntimeOptions
            {
                StateDirectory = workspace.BerthState,
                CgroupParent = workspace.BerthCgroupParent,
            }).RemoveLeftoversAsync()).ConfigureAwait(false);
        }

        await Step("cgroups", () => CgroupSweep.RemoveAsync(workspace)).ConfigureAwait(false);
        await Step("workspace", () => Task.Run(() => RemoveDirectory(workspace))).ConfigureAwait(false);

        if (problems.Count > 0)
        {
            await log.WriteLineAsync($"Cleanup of {workspace.Directory} left something behind: {string.Join("; ", problems)}").ConfigureAwait(false);
        }
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

    /// <summary>
    /// The workspace's tree, never through a mount: if anything is still mounted below it (nothing should be:
    /// every runtime mounts inside its containers' namespaces), it is left for a person to look at.
    /// </summary>
    private static void RemoveDirectory(BenchWorkspace workspace)
    {
        var prefix = workspace.Directory + "/";
        var mounted = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        if (mounted.Count > 0)
        {
            throw new IOException($"still mounted below it: {string.Join(", ", mounted)}");
        }

        workspace.Dispose();
        Directory.Delete(workspace.Directory, recursive: true);

        // The common parent too, unless another run's workspace is in it (or just arrived: then it stays).
        try
        {
            Directory.Delete(BenchWorkspace.RootDirectory);
        }
        catch (IOException)
        {
        }
    }
}
