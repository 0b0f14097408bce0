namespace Berth.Runtime.Filesystem;

/// <summary>
/// The host's side of a <see cref="DirectoryRootFilesystem"/>: the overlay's directories, the init layer with the
/// mount points the image lacks, and the generated network files. Nothing is mounted.
/// </summary>
internal static class DirectoryRootPreparation
{
    public static void Prepare(ContainerFilesystemPlan plan, DirectoryRootFilesystem root)
    {
        var layout = plan.ContainerDirectory;
        RootfsEntries.CreateDirectory(layout.Rootfs);
        RootfsEntries.CreateDirectory(layout.InitLayer);
        RootfsEntries.CreateDirectory(layout.Etc);
        if (!plan.ReadOnlyRoot)
        {
            RootfsEntries.CreateDirectory(layout.Upper);
            RootfsEntries.CreateDirectory(layout.Work);
        }

        // Written before anything mounts them: the image store's garbage collection keeps these while the file is there.
        RecordLayers(layout.LayersFile, root.Layers);

        RootfsEntries.WriteFile(Path.Combine(layout.Etc, "hostname"), EtcFiles.Hostname(plan.EffectiveHostname));
        RootfsEntries.WriteFile(Path.Combine(layout.Etc, "hosts"), EtcFiles.Hosts(plan.EffectiveHostname, plan.Hosts));
        RootfsEntries.WriteFile(Path.Combine(layout.Etc, "resolv.conf"), EtcFiles.ResolvConf());

        // Each mount point is looked up through the image's symlinks (an image's /tmp may lead to /var/tmp) and
        // created in the init layer only where no layer has it, so the image's own directories stay as they are.
        foreach (var (path, isDirectory) in ContainerMountPoints.For(plan))
        {
            var resolved = ContainerPath.ResolveInLayers(root.Layers, path);
            if (root.Layers.Any(layer => RootfsEntries.Exists(ContainerPath.Join(layer, resolved))))
                continue;
            RootfsEntries.CreateMountPoint(ContainerPath.Join(layout.InitLayer, resolved), isDirectory);
        }
    }

    /// <summary>
    /// Records the layers under the shared lock of each image store they come from (<c>STORE/layers/CHAIN</c>, the
    /// store's <c>lock</c> beside), then checks they are still there: a prune either ran before (and a layer it took
    /// is reported) or runs after and sees the record.
    /// </summary>
    private static void RecordLayers(string file, IReadOnlyList<string> layers)
    {
        var locks = new List<IDisposable>();
        try
        {
            foreach (var store in layers.Select(l => Path.GetDirectoryName(Path.GetDirectoryName(l))).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(store, Images.ImageStoreLock.FileName)))
                    locks.Add(Images.ImageStoreLock.Shared(store));
            }

            File.WriteAllLines(file, layers);
            if (layers.FirstOrDefault(l => !Directory.Exists(l)) is { } gone)
                throw new IOException($"The image layer {gone} is gone (the image store was pruned after its image was removed); pull or import the image again.");
        }
        finally
        {
            foreach (var taken in locks)
                taken.Dispose();
        }
    }
}
