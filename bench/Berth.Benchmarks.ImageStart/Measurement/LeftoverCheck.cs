using System.Globalization;
using Berth.Benchmarks.ImageStart.Contenders;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.ImageStart.Measurement;

/// <summary>
/// After every round, looks for anything a run left that it should have removed: Berth's container state and
/// cgroups, the cold image store, runc's containers, bundles and cgroups, Podman's containers (and for the cold
/// Podman its images) and cgroups, and mounts below the workspace. Podman's storage keeps one mount while it exists,
/// a private bind of its overlay directory onto itself (containers/storage makes it on first use); that one is
/// expected, and removed with the storage at the end.
/// </summary>
internal sealed class LeftoverCheck(ImageBenchWorkspace workspace, IReadOnlyList<IImageContender> contenders)
{
    private readonly List<string> _problems = [];

    /// <summary>What was found left, one entry per round and place.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public int RoundsChecked { get; private set; }

    public async Task CheckAsync(int round)
    {
        RoundsChecked++;
        var found = new List<string>();
        found.AddRange(Entries(Path.Combine(workspace.BerthState, "containers"), "Berth container state"));
        found.AddRange(Entries(workspace.RuncState, "runc container state"));
        if (Directory.Exists(workspace.ColdStore))
        {
            found.Add("the cold image store");
        }

        found.AddRange(Entries(workspace.Runc, "cold runc bundle", "runc-cold-*"));
        var layout = CgroupLayout.Detect();
        foreach (var hierarchy in layout.Hierarchies)
        {
            found.AddRange(Entries(Path.Combine(hierarchy.OwnDirectory, workspace.BerthCgroupParent), "Berth cgroup"));
            foreach (var parent in Entries(Path.Combine(hierarchy.OwnDirectory, workspace.OciCgroupParent), string.Empty).Concat(Entries(Path.Combine(hierarchy.MountPoint, workspace.OciCgroupParent), string.Empty)))
            {
                // Podman keeps a conmon cgroup below its parent; a container's cgroup is libpod-ID.
                found.AddRange(Entries(parent, "OCI or Podman cgroup").Where(e => !e.EndsWith("/conmon", StringComparison.Ordinal)));
            }
        }

        foreach (var podman in contenders.OfType<PodmanContender>())
        {
            found.AddRange((await podman.Podman.ListAsync("ps").ConfigureAwait(false)).Select(id => $"{podman.Key} container {id}"));
            if (podman.Key == "podman-cold")
            {
                found.AddRange((await podman.Podman.ListAsync("images").ConfigureAwait(false)).Select(id => $"{podman.Key} image {id}"));
            }
        }

        found.AddRange(MountTable.MountPointsBelow(workspace.Directory)
            .Where(m => !(m.StartsWith(Path.Combine(workspace.Directory, "podman") + "/", StringComparison.Ordinal) && m.EndsWith("/root/overlay", StringComparison.Ordinal)))
            .Select(m => $"mount {m}"));
        if (found.Count > 0)
        {
            _problems.Add(string.Create(CultureInfo.InvariantCulture, $"round {round}: {string.Join(", ", found.Distinct(StringComparer.Ordinal))}"));
        }
    }

    /// <summary>The entries of a directory (none if it does not exist), each as "WHAT PATH"; with an empty <paramref name="what"/>, the bare paths.</summary>
    private static IEnumerable<string> Entries(string directory, string what, string pattern = "*") =>
        Directory.Exists(directory)
            ? Directory.EnumerateDirectories(directory, pattern).Select(d => what.Length == 0 ? d : $"{what} {d}")
            : [];
}
