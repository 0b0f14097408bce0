namespace Berth.Runtime.Filesystem;

/// <summary>
/// The host's side of a <see cref="DotnetRootFilesystem"/>: the root directory with a generated <c>/etc</c>, the
/// mount points of the host paths it shows and the symlinks that lead to them, <c>/usr/bin/dotnet</c>, and the
/// other mount points. Nothing is mounted.
/// </summary>
internal static class DotnetRootPreparation
{
    public static void Prepare(ContainerFilesystemPlan plan, DotnetRootFilesystem root)
    {
        var rootfs = plan.ContainerDirectory.Rootfs;
        RootfsEntries.CreateDirectory(rootfs);

        var etc = Path.Combine(rootfs, "etc");
        RootfsEntries.CreateDirectory(etc);
        RootfsEntries.WriteFile(Path.Combine(etc, "passwd"), EtcFiles.Passwd(plan.User));
        RootfsEntries.WriteFile(Path.Combine(etc, "group"), EtcFiles.Group(plan.User));
        RootfsEntries.WriteFile(Path.Combine(etc, "hostname"), EtcFiles.Hostname(plan.EffectiveHostname));
        RootfsEntries.WriteFile(Path.Combine(etc, "hosts"), EtcFiles.Hosts(plan.EffectiveHostname, plan.Hosts));
        RootfsEntries.WriteFile(Path.Combine(etc, "resolv.conf"), EtcFiles.ResolvConf());
        RootfsEntries.WriteFile(Path.Combine(etc, "nsswitch.conf"), EtcFiles.NsswitchConf());

        var exposed = HostPaths(root);
        HostPathExposure.Prepare(rootfs, exposed, HostPathExposure.BindSources(exposed));

        var dotnetLink = ContainerPath.Join(rootfs, DotnetRootFilesystem.DotnetLink);
        if (!RootfsEntries.Exists(dotnetLink))
        {
            RootfsEntries.CreateDirectory(Path.GetDirectoryName(dotnetLink)!);
            File.CreateSymbolicLink(dotnetLink, Path.Combine(HostPath.Resolve(root.DotnetRoot), "dotnet"));
        }

        foreach (var (path, isDirectory) in ContainerMountPoints.For(plan))
            RootfsEntries.CreateMountPoint(ContainerPath.Resolve(rootfs, path), isDirectory);
    }

    /// <summary>The host paths the template shows at their own paths: the .NET installation, then the system paths.</summary>
    public static IReadOnlyList<string> HostPaths(DotnetRootFilesystem root) => [root.DotnetRoot, .. root.SystemPaths];
}
