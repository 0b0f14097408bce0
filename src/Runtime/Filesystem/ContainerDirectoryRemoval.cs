using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Removes a container's directory from the host: first every mount at or below it that this mount namespace still
/// sees (a crashed setup in the host's namespace, a debugging session), then the files, never crossing into another
/// filesystem: a bind mount left in place would otherwise have its source deleted through it.
/// </summary>
internal static class ContainerDirectoryRemoval
{
    // Stacked mounts reveal the one below at each unmount; more than this many means something keeps mounting.
    private const int MaxUnmountRounds = 64;

    public static void Remove(ContainerDirectory directory)
    {
        var path = HostPath.Resolve(directory.Path);
        UnmountAll(path);
        if (!RootfsEntries.Exists(path))
            return;
        DeleteTree(path, DeviceOf(path));
    }

    private static void UnmountAll(string path)
    {
        for (var round = 0; round < MaxUnmountRounds; round++)
        {
            var mounted = MountTable.MountPointsAtOrBelow(path);
            if (mounted.Count == 0)
                return;

            // A detached unmount takes the whole subtree below a mount point with it; unmount the outermost ones.
            var outermost = mounted.Distinct(StringComparer.Ordinal)
                .Where(point => !mounted.Any(other => other != point && MountTable.IsAtOrBelow(point, other)));
            foreach (var point in outermost)
            {
                try
                {
                    Mounts.Unmount(point, detach: true);
                }
                catch (MountException e) when (e.Errno == LibC.EINVAL || e.Errno == LibC.ENOENT)
                {
                    // Gone meanwhile (its parent's detach took it), which is what was wanted.
                }
            }
        }

        var left = MountTable.MountPointsAtOrBelow(path);
        if (left.Count > 0)
            throw new ContainerFilesystemException($"Mounts stay below {path} after {MaxUnmountRounds} rounds of unmounting: {string.Join(", ", left)}.");
    }

    /// <summary><c>rm -rf</c> that refuses to enter a directory on another device, and never follows a symlink.</summary>
    private static void DeleteTree(string directory, ulong device)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                if (DeviceOf(entry.FullName) != device)
                    throw new ContainerFilesystemException($"{entry.FullName} is on another filesystem (a mount this namespace does not list); it was not deleted.");
                DeleteTree(entry.FullName, device);
            }
            else
            {
                // unlink(2): removes a symlink itself, even one to a directory.
                File.Delete(entry.FullName);
            }
        }

        Directory.Delete(directory);
    }

    private static unsafe ulong DeviceOf(string path)
    {
        stat status;
        fixed (byte* bytes = NativeStrings.Utf8(path))
        {
            if (LibC.lstat(bytes, &status) == -1)
                throw new IOException($"lstat(\"{path}\") failed: {Marshal.GetPInvokeErrorMessage(LibC.errno)}.");
        }

        return status.st_dev;
    }
}
