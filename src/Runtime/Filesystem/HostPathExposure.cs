namespace Berth.Runtime.Filesystem;

/// <summary>
/// Shows host paths inside a root at the same paths: each is bound read-only at its real location, and the symlinks
/// that lead there on the host are recreated in the root, so that <c>/lib64/ld-linux-x86-64.so.2</c> (via
/// <c>/lib64 -&gt; usr/lib64</c> and a link to <c>/lib/x86_64-linux-gnu/...</c>) resolves inside as it does
/// outside, and nothing else of the host appears.
/// </summary>
internal static class HostPathExposure
{
    /// <summary>
    /// The real host paths to bind for <paramref name="paths"/>: symlinks resolved, missing ones dropped, each once,
    /// and none inside another (the outer bind shows it).
    /// </summary>
    public static IReadOnlyList<string> BindSources(IEnumerable<string> paths)
    {
        var real = paths.Select(HostPath.Resolve).Where(Path.Exists).Distinct(StringComparer.Ordinal).ToList();
        return real.Where(path => !real.Any(other => other != path && MountTable.IsAtOrBelow(path, other))).ToArray();
    }

    /// <summary>
    /// Creates, in <paramref name="rootfs"/>, an empty mount point for each of <paramref name="bindSources"/> and the
    /// symlinks along every one of <paramref name="paths"/> on the host.
    /// </summary>
    public static void Prepare(string rootfs, IEnumerable<string> paths, IReadOnlyList<string> bindSources)
    {
        foreach (var source in bindSources)
            RootfsEntries.CreateMountPoint(ContainerPath.Join(rootfs, source), Directory.Exists(source));
        foreach (var path in paths)
            RecreateLinks(rootfs, path, bindSources);
    }

    /// <summary>Walks <paramref name="path"/> on the host, copying each symlink met into the root, until it reaches a bind source.</summary>
    private static void RecreateLinks(string rootfs, string path, IReadOnlyList<string> bindSources) =>
        SymlinkWalk.Walk(
            path,
            maxSymlinks: 40,
            hostPath =>
            {
                if (bindSources.Any(source => MountTable.IsAtOrBelow(hostPath, source)))
                    return SymlinkWalk.Step.StopHere;

                if (new FileInfo(hostPath).LinkTarget is { } target)
                {
                    var inRoot = ContainerPath.Join(rootfs, hostPath);
                    if (!RootfsEntries.Exists(inRoot))
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(inRoot)!);
                        File.CreateSymbolicLink(inRoot, target);
                    }

                    return SymlinkWalk.Step.Follow(target);
                }

                return Directory.Exists(hostPath) ? SymlinkWalk.Step.Keep : SymlinkWalk.Step.StopHere;
            },
            $"in \"{path}\"");
}
