using System.Globalization;
using Berth.Runtime.Cgroups;
using Tmds.Linux;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// Removes a run's cgroups wherever they ended up, in every hierarchy this process belongs to: Berth's below this
/// process's own cgroup, runc's there too, crun's and Podman's below the hierarchy's root (crun reads a relative
/// cgroupsPath from the root; Podman's <c>--cgroup-parent</c> is absolute). Neither OCI runtime removes the parents
/// it made, nor Podman the <c>conmon</c> cgroup it makes below its parent. A cgroup that still holds processes (a run
/// that was killed) has them killed first; a frozen one (killed in the middle of Berth's freeze-kill-thaw) is
/// thawed so they can die.
/// </summary>
internal static class CgroupSweep
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(50);
    private const int Attempts = 100;

    /// <param name="ociCgroupParent">The OCI runtimes' (and Podman's) top-level name, looked for at each hierarchy's root and below this process's cgroup.</param>
    /// <param name="berthCgroupParent">Berth's parent, below this process's cgroup.</param>
    public static async Task RemoveAsync(string ociCgroupParent, string berthCgroupParent)
    {
        var layout = CgroupLayout.Detect();
        var trees = layout.Hierarchies
            .SelectMany(h => new[]
            {
                Path.Combine(h.MountPoint, ociCgroupParent),
                Path.Combine(h.OwnDirectory, ociCgroupParent),
                Path.Combine(h.OwnDirectory, berthCgroupParent),
            })
            .Distinct(StringComparer.Ordinal)
            .Where(Directory.Exists)
            .ToList();
        foreach (var tree in trees)
        {
            await RemoveTreeAsync(tree).ConfigureAwait(false);
        }
    }

    /// <summary>Children first: the kernel removes only empty cgroups without children.</summary>
    private static async Task RemoveTreeAsync(string directory)
    {
        foreach (var child in Directory.GetDirectories(directory))
        {
            await RemoveTreeAsync(child).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            KillMembers(directory);
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (attempt < Attempts)
            {
                // EBUSY while killed processes are still on their way out.
                await Task.Delay(s_retryDelay).ConfigureAwait(false);
            }
        }
    }

    private static void KillMembers(string directory)
    {
        var freezer = Path.Combine(directory, "freezer.state");
        if (File.Exists(freezer) && File.ReadAllText(freezer).Trim() != "THAWED")
        {
            File.WriteAllText(freezer, "THAWED");
        }

        var procs = Path.Combine(directory, "cgroup.procs");
        if (!File.Exists(procs))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(procs))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                _ = LibC.kill(pid, LibC.SIGKILL);
            }
        }
    }
}
