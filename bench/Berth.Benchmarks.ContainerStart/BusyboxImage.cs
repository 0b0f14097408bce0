namespace Berth.Benchmarks.ContainerStart;

/// <summary>
/// The image every contender runs: the busybox tree (<see cref="BusyboxTree"/>). The mount points the OCI runtimes
/// would otherwise create in it are made up front, so no contender changes the image another one runs. Outside the
/// image, links named <c>true</c> and <c>sleep</c> to the same file give the bare spawn the same binary and applet
/// (busybox picks the applet by the name it was started as).
/// </summary>
internal sealed record BusyboxImage(string Root, string HostTrue, string HostSleep)
{
    private static readonly string[] s_mountPoints = ["proc", "dev", "sys", "tmp"];

    public static BusyboxImage Create(BenchWorkspace workspace)
    {
        var imageBusybox = BusyboxTree.Create(workspace.Image);
        foreach (var mountPoint in s_mountPoints)
        {
            Directory.CreateDirectory(Path.Combine(workspace.Image, mountPoint));
        }

        Directory.CreateDirectory(workspace.HostLinks);
        var hostTrue = Path.Combine(workspace.HostLinks, "true");
        var hostSleep = Path.Combine(workspace.HostLinks, "sleep");
        File.CreateSymbolicLink(hostTrue, imageBusybox);
        File.CreateSymbolicLink(hostSleep, imageBusybox);
        return new BusyboxImage(workspace.Image, hostTrue, hostSleep);
    }
}
