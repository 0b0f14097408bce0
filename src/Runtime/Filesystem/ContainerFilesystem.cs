namespace Berth.Runtime.Filesystem;

/// <summary>
/// A container's filesystem from start to end. The host <see cref="Prepare"/>s the container's directory (files
/// only, no mounts); the container's init, as root in its new mount namespace, calls <see cref="Setup"/>, which
/// mounts everything, moves into the new root and hides what must not be seen; once the container is gone, the host
/// calls <see cref="Remove"/>. Every mount is made in the container's own namespace after its tree was made private,
/// so none reaches the host, and all of them vanish with the namespace's last process.
/// </summary>
public static class ContainerFilesystem
{
    /// <summary>
    /// Host side, before the init starts: creates <c>&lt;state&gt;/containers/&lt;id&gt;/</c> (0700) with the
    /// root's directories, generated <c>/etc</c> files and every mount point. Safe to repeat: what exists is kept
    /// (a restarted container keeps its writable layer), generated files are written again.
    /// </summary>
    /// <exception cref="ArgumentException">The plan cannot be set up as asked.</exception>
    public static void Prepare(ContainerFilesystemPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        var layout = plan.ContainerDirectory;

        var containers = Path.GetDirectoryName(layout.Path)!;
        RootfsEntries.CreateDirectory(layout.StateDirectory);
        if (!Directory.Exists(containers))
        {
            Directory.CreateDirectory(containers);
            RootfsEntries.SetMode(containers, 0x1C0); // 0700: only root looks into containers' files
        }

        if (!Directory.Exists(layout.Path))
        {
            Directory.CreateDirectory(layout.Path);
            RootfsEntries.SetMode(layout.Path, 0x1C0);
        }

        switch (plan.Root)
        {
            case DirectoryRootFilesystem directory:
                DirectoryRootPreparation.Prepare(plan, directory);
                break;
            case DotnetRootFilesystem dotnet:
                DotnetRootPreparation.Prepare(plan, dotnet);
                break;
            default:
                throw new ArgumentException($"Unknown root filesystem kind {plan.Root.GetType().Name}.", nameof(plan));
        }
    }

    /// <summary>
    /// Inside the container's new mount namespace, as root, before privileges are dropped: makes every mount
    /// private, mounts the root at <c>&lt;container&gt;/rootfs</c>, then <c>/proc</c> (when
    /// <see cref="ContainerFilesystemPlan.MountProc"/>), <c>/dev</c>, <c>/sys</c> (read-only), <c>/tmp</c>, the
    /// network files, the volumes and the secrets; pivots into the root, discarding the host's tree; masks Docker's
    /// paths; and makes the root read-only when the plan says so. The process's working directory is then
    /// <c>/</c>.
    /// </summary>
    /// <remarks>
    /// Every thread of the calling process moves into the new root with it. A JIT-compiled caller must have loaded
    /// every assembly it will use before this call: afterwards the host's files are gone.
    /// </remarks>
    /// <exception cref="ContainerFilesystemException">A step failed; the message says which and why.</exception>
    public static void Setup(ContainerFilesystemPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Step("checking the plan", plan.Validate);
        var layout = plan.ContainerDirectory;
        var rootfs = layout.Rootfs;

        Step("making every mount private", () => Mounts.MakePrivate("/"));
        var rootIsReadOnly = false;
        Step($"mounting the root filesystem at {rootfs}", () => rootIsReadOnly = MountRoot(plan));

        if (plan.MountProc)
            Step("mounting /proc", () => Mounts.MountProc(MountPoint(rootfs, "/proc")));
        Step("setting up /dev", () => DevFilesystem.Mount(MountPoint(rootfs, "/dev")));
        Step("mounting /sys", () => MountSys(MountPoint(rootfs, "/sys")));
        Step("mounting /tmp", () => Mounts.MountTmpfs(MountPoint(rootfs, "/tmp"), mode: 0x3FF, flags: MountFlags.NoSuid | MountFlags.NoDev));

        if (plan.Root is DirectoryRootFilesystem)
        {
            foreach (var file in ContainerMountPoints.NetworkFiles)
            {
                Step($"binding /etc/{file}", () => Mounts.BindReadOnly(
                    Path.Combine(layout.Etc, file), MountPoint(rootfs, "/etc/" + file, directory: false), extraFlags: MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec));
            }
        }

        // Outer targets first, so /data/cache lands on the /data volume rather than under it (Docker sorts too).
        foreach (var volume in plan.Volumes.OrderBy(volume => Depth(volume.Target)))
            Step($"mounting the volume at {volume.Target}", () => MountVolume(rootfs, volume));

        if (plan.Secrets.Count > 0)
            Step($"writing the secrets to {SecretFile.MountPoint}", () => SecretsMount.Mount(MountPoint(rootfs, SecretFile.MountPoint), plan.Secrets, plan.User));

        Step($"pivot_root into {rootfs}", () => PivotRoot.Into(rootfs));
        Step("masking /proc and /sys paths", MaskedPaths.Apply);
        if (plan.ReadOnlyRoot && !rootIsReadOnly)
            Step("making the root read-only", () => Mounts.RemountReadOnly("/"));
    }

    /// <summary>
    /// Host side, once the container's processes are gone: unmounts whatever is still mounted at or below the
    /// container's directory in this mount namespace, then deletes the directory (the writable layer with it).
    /// Nothing to do when it does not exist.
    /// </summary>
    /// <exception cref="ContainerFilesystemException">A mount could not be removed; nothing below it was deleted.</exception>
    public static void Remove(ContainerDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ContainerDirectoryRemoval.Remove(directory);
    }

    /// <summary>Mounts the root at <c>rootfs</c>; true when it is read-only already.</summary>
    private static bool MountRoot(ContainerFilesystemPlan plan)
    {
        var layout = plan.ContainerDirectory;
        var rootfs = layout.Rootfs;
        switch (plan.Root)
        {
            case DirectoryRootFilesystem directory:
                string[] lowers = [layout.InitLayer, .. directory.Layers];
                if (plan.ReadOnlyRoot)
                {
                    Mounts.MountOverlay(rootfs, lowers, flags: MountFlags.ReadOnly);
                    return true;
                }

                Mounts.MountOverlay(rootfs, lowers, layout.Upper, layout.Work);
                return false;

            case DotnetRootFilesystem dotnet:
                // pivot_root needs the new root to be a mount point: bind the directory onto itself first, then
                // mount into it (a later self-bind would hide those mounts).
                Mounts.Bind(rootfs, rootfs);
                const MountFlags hardened = MountFlags.NoSuid | MountFlags.NoDev;
                foreach (var source in HostPathExposure.BindSources(DotnetRootPreparation.HostPaths(dotnet)))
                    Mounts.BindReadOnly(source, MountPoint(rootfs, source, Directory.Exists(source)), extraFlags: hardened);
                Mounts.BindReadOnly(dotnet.AppDirectory, MountPoint(rootfs, DotnetRootFilesystem.AppMountPoint), extraFlags: hardened);
                return false;

            default:
                throw new ArgumentException($"Unknown root filesystem kind {plan.Root.GetType().Name}.", nameof(plan));
        }
    }

    /// <summary>
    /// A fresh read-only sysfs. It needs no new network namespace as root, but in a user namespace the kernel
    /// refuses it unless the mounter owns its network namespace; then the host's /sys is bound read-only instead,
    /// without the mounts below it (cgroups, debugfs), as runc falls back to a bind.
    /// </summary>
    private static void MountSys(string target)
    {
        try
        {
            Mounts.MountSysfs(target);
        }
        catch (MountException)
        {
            Mounts.BindReadOnly("/sys", target, extraFlags: MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        }
    }

    private static void MountVolume(string rootfs, Volume volume)
    {
        var target = MountPoint(rootfs, volume.Target, volume.TargetIsDirectory);
        switch (volume)
        {
            case BindVolume bind:
                Mounts.Bind(bind.Source, target, recursive: true);
                if (bind.ReadOnly)
                    Mounts.RemountTreeReadOnly(target);
                break;
            case TmpfsVolume tmpfs:
                var flags = MountFlags.NoSuid | MountFlags.NoDev | (tmpfs.ReadOnly ? MountFlags.ReadOnly : MountFlags.None);
                Mounts.MountTmpfs(target, tmpfs.SizeBytes, tmpfs.Mode ?? 0x3FF, flags);
                break;
            default:
                throw new ArgumentException($"Unknown volume kind {volume.GetType().Name}.", nameof(volume));
        }
    }

    /// <summary>
    /// The host path of a mount point in the root. <see cref="Prepare"/> created it, unless it lies inside a tmpfs
    /// this setup mounted (<c>/tmp/cache</c>) or the container deleted it from its writable layer; then it is
    /// created now. The path was resolved inside the root, so this never writes outside it; on a read-only root a
    /// missing mount point fails with EROFS.
    /// </summary>
    private static string MountPoint(string rootfs, string containerPath, bool directory = true)
    {
        var hostPath = ContainerPath.Resolve(rootfs, containerPath);
        if (RootfsEntries.Exists(hostPath))
            return hostPath;

        try
        {
            RootfsEntries.CreateMountPoint(hostPath, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerFilesystemException($"The mount point {containerPath} is missing from the root and cannot be created ({hostPath}): {e.Message}", e);
        }

        return hostPath;
    }

    private static int Depth(string containerPath) => containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;

    private static void Step(string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is MountException or IOException or UnauthorizedAccessException or ArgumentException or ContainerFilesystemException)
        {
            throw ContainerFilesystemException.ForStep(step, e);
        }
    }
}
