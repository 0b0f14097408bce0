using System.Diagnostics;
using System.Text.Json;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Runtime.Tests;

/// <summary>
/// <see cref="ContainerFilesystem.Remove"/> on the host: after a container was SIGKILLed with its mounts in place,
/// after a setup that left mounts in the host's own namespace, and never deleting through a mount or a symlink.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemRemoveTests : IDisposable
{
    private readonly FilesystemScratch _scratch = new();

    [Fact]
    public void AContainerKilledWithItsMountsInPlaceLeavesNothingOnTheHost()
    {
        var plan = new ContainerFilesystemPlan
        {
            ContainerId = _scratch.Id,
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            Secrets = [new SecretFile("key", [1, 2, 3])],
            Volumes = [new TmpfsVolume("/cache")],
        };
        ContainerFilesystem.Prepare(plan);
        var request = _scratch.WriteRequest(plan, new { write = new[] { "/written-to-root" } }, app: null, pidNamespace: true, hold: true);

        using var probe = ProbeProcess.Start("rootfs", request);
        var insidePid = 0;
        try
        {
            insidePid = JsonDocument.Parse(ReadLine(probe)).RootElement.GetProperty("insideProcessId").GetInt32();
            var report = JsonDocument.Parse(ReadLine(probe)).RootElement;
            Assert.True(report.GetProperty("setupError").ValueKind == JsonValueKind.Null, report.ToString());

            // While the container lives, its mounts are in its own namespace only.
            var containerMounts = File.ReadAllText($"/proc/{insidePid}/mountinfo");
            Assert.Contains(" /app ", containerMounts, StringComparison.Ordinal);
            Assert.Contains(" /run/secrets ", containerMounts, StringComparison.Ordinal);
            _scratch.AssertNoMountsOnHost();

            Assert.Equal(0, LibC.kill(insidePid, LibC.SIGKILL));
            Assert.True(probe.WaitForExit(GatedProcess.Patience), "The probe did not end after its container's init was killed.");
        }
        finally
        {
            KillIfRunning(probe);
        }

        _scratch.AssertNoMountsOnHost();
        Assert.True(File.Exists(ContainerPath.Join(_scratch.ContainerDirectory.Rootfs, "/written-to-root")));
        ContainerFilesystem.Remove(_scratch.ContainerDirectory);
        Assert.False(Directory.Exists(_scratch.ContainerDirectory.Path));
        Assert.DoesNotContain(MountTable.MountPoints(), point => point.Contains(_scratch.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void MountsLeftInTheHostsNamespaceAreUnmountedAndNotDeletedThrough()
    {
        var precious = _scratch.CreateDirectory("precious");
        File.WriteAllText(Path.Combine(precious, "keep"), "keep me");
        var container = _scratch.ContainerDirectory.Path;
        Directory.CreateDirectory(container);

        try
        {
            var leaked = ProbeProcess.Run("rootfs-leak", container, precious).GetProperty("mountPoints");
            Assert.Equal(4, leaked.GetArrayLength());
            Assert.Equal(4, MountTable.MountPointsAtOrBelow(container).Count);

            ContainerFilesystem.Remove(_scratch.ContainerDirectory);
        }
        finally
        {
            // Whatever happened above, never leave the host with these mounts.
            foreach (var point in MountTable.MountPointsAtOrBelow(container).Reverse())
                Mounts.Unmount(point, detach: true);
        }

        Assert.Empty(MountTable.MountPointsAtOrBelow(container));
        Assert.False(Directory.Exists(container));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(precious, "keep")));
    }

    [Fact]
    public void SymlinksAreRemovedNotFollowed()
    {
        var outside = _scratch.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(outside, "keep"), "keep me");
        var container = _scratch.ContainerDirectory.Path;
        Directory.CreateDirectory(Path.Combine(container, "upper"));
        Directory.CreateSymbolicLink(Path.Combine(container, "upper", "to-directory"), outside);
        File.CreateSymbolicLink(Path.Combine(container, "upper", "to-file"), Path.Combine(outside, "keep"));

        ContainerFilesystem.Remove(_scratch.ContainerDirectory);

        Assert.False(Directory.Exists(container));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outside, "keep")));
    }

    [Fact]
    public void RemovingAMissingDirectoryDoesNothing()
    {
        Assert.False(Directory.Exists(_scratch.ContainerDirectory.Path));
        ContainerFilesystem.Remove(_scratch.ContainerDirectory);
        ContainerFilesystem.Remove(_scratch.ContainerDirectory);
    }

    public void Dispose() => _scratch.Dispose();

    private static string ReadLine(Process probe) =>
        probe.StandardOutput.ReadLine()
        ?? throw new InvalidOperationException($"The probe ended early:\n{probe.StandardError.ReadToEnd()}");

    private static void KillIfRunning(Process probe)
    {
        if (!probe.HasExited)
        {
            probe.Kill(entireProcessTree: true);
            probe.WaitForExit();
        }
    }
}
