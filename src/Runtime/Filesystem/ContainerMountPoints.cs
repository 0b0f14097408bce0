namespace Berth.Runtime.Filesystem;

/// <summary>
/// Every path in the container that something is mounted on. The host creates them all before the container starts
/// (<see cref="ContainerFilesystem.Prepare"/>), so that a read-only root has them too.
/// </summary>
internal static class ContainerMountPoints
{
    /// <summary>The generated network files bound over a directory root's own.</summary>
    public static IReadOnlyList<string> NetworkFiles { get; } = ["hostname", "hosts", "resolv.conf"];

    /// <summary>Container paths, and whether each is a directory (else a file).</summary>
    public static IEnumerable<(string Path, bool IsDirectory)> For(ContainerFilesystemPlan plan)
    {
        yield return ("/proc", true);
        yield return ("/dev", true);
        yield return ("/sys", true);
        yield return ("/tmp", true);
        if (plan.Root is DotnetRootFilesystem)
            yield return (DotnetRootFilesystem.AppMountPoint, true);
        if (plan.Root is DirectoryRootFilesystem)
        {
            foreach (var file in NetworkFiles)
                yield return ("/etc/" + file, false);
        }

        foreach (var volume in plan.Volumes)
            yield return (volume.Target, volume.TargetIsDirectory);
        if (plan.Secrets.Count > 0)
            yield return (SecretFile.MountPoint, true);
    }
}
