using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>rootfs-leak CONTAINERDIR BINDSOURCE</c> verb: leaves mounts in the host's mount namespace below a
/// container's directory, as a setup that crashed outside its own namespace would, for the host-side removal to
/// clean up: a tmpfs at <c>rootfs</c>, BINDSOURCE bound at <c>rootfs/data</c> inside it, a second tmpfs stacked on
/// <c>rootfs</c>, and a tmpfs at <c>upper</c>.
/// </summary>
internal static class RootfsLeakProbe
{
    public static int Run(string containerDirectory, string bindSource)
    {
        var rootfs = Path.Combine(containerDirectory, "rootfs");
        var upper = Path.Combine(containerDirectory, "upper");
        Directory.CreateDirectory(rootfs);
        Directory.CreateDirectory(upper);

        Mounts.MountTmpfs(rootfs);
        var data = Path.Combine(rootfs, "data");
        Directory.CreateDirectory(data);
        Mounts.Bind(bindSource, data);
        Mounts.MountTmpfs(rootfs);
        Mounts.MountTmpfs(upper);

        ProbeOutput.Write(new { mountPoints = MountTable.MountPointsAtOrBelow(containerDirectory) });
        return 0;
    }
}
