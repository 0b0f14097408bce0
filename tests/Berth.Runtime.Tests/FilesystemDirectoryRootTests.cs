using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// A busybox tree as a directory root through overlayfs, for real: the image is never written, a writable root's
/// writes land in the container's upper layer, a read-only root has none, and symlinks in the image cannot steer a
/// mount onto the host.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemDirectoryRootTests : IClassFixture<BusyboxContainerFixture>
{
    private const int Erofs = 30;

    private readonly BusyboxContainerFixture _containers;

    public FilesystemDirectoryRootTests(BusyboxContainerFixture containers) => _containers = containers;

    [RequiresToolFact("busybox", "busybox-static")]
    public void BusyboxRunsAsPid1sChildAndSeesTheContainer()
    {
        var view = _containers.Writable.View;
        Assert.Equal(1, view.GetProperty("processId").GetInt32());
        var command = view.GetProperty("command");
        Assert.True(command.GetProperty("exitCode").GetInt32() == 0, command.ToString());
        Assert.Equal("busybox ran\nbb-host\nvolume-file\n", command.GetProperty("stdout").GetString());
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void TheRootIsTheImagePlusMountPoints()
    {
        var run = _containers.Writable;
        var root = Strings(run.View.GetProperty("listings").GetProperty("/"));
        var image = Directory.EnumerateFileSystemEntries(run.Image).Select(Path.GetFileName).OfType<string>();
        Assert.Equal(image.Concat(["dev", "proc", "run", "sys", "tmp"]).Order(StringComparer.Ordinal), root.Order(StringComparer.Ordinal));
        Assert.Contains("self", Strings(run.View.GetProperty("listings").GetProperty("/proc")));

        var exists = run.View.GetProperty("exists");
        Assert.False(exists.GetProperty(run.Marker).GetBoolean());
        Assert.False(exists.GetProperty(run.Scratch.TempDirectory).GetBoolean());
        Assert.False(exists.GetProperty("/usr/share/dotnet").GetBoolean());
        Assert.False(exists.GetProperty("/work").GetBoolean());
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void NetworkFilesAreGeneratedAndReadOnly()
    {
        var view = _containers.Writable.View;
        Assert.Equal("bb-host\n", Text(view, "/etc/hostname"));
        Assert.Contains("localhost bb-host", Text(view, "/etc/hosts"), StringComparison.Ordinal);
        Assert.Equal(Erofs, view.GetProperty("writes").GetProperty("/etc/hostname").GetInt32());
        Assert.Equal(BusyboxContainerFixture.Secret, Text(view, "/run/secrets/token"));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void WritesLandInTheUpperLayerAndTheImageIsUnchanged()
    {
        var run = _containers.Writable;
        var writes = run.View.GetProperty("writes");
        Assert.Equal(0, writes.GetProperty("/written-inside").GetInt32());
        Assert.Equal(0, writes.GetProperty("/etc/os-release").GetInt32());
        Assert.Equal(0, writes.GetProperty("/tmp/written").GetInt32());

        var upper = run.Scratch.ContainerDirectory.Upper;
        Assert.Equal("berth", File.ReadAllText(Path.Combine(upper, "written-inside")));
        Assert.Equal("berth", File.ReadAllText(Path.Combine(upper, "etc", "os-release")));
        Assert.False(File.Exists(Path.Combine(upper, "tmp", "written")), "/tmp is a tmpfs, not the root.");
        Assert.Equal("NAME=busybox\n", File.ReadAllText(Path.Combine(run.Image, "etc", "os-release")));
        Assert.Equal(run.ImageFiles, BusyboxContainerFixture.Snapshot(run.Image));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void SymlinksInTheImageCannotSteerMountsOntoTheHost()
    {
        var run = _containers.Writable;
        var exists = run.View.GetProperty("exists");

        // "/escape -> ../../.." stops at the container's root, "/abs -> /etc" means the container's /etc.
        Assert.True(exists.GetProperty("/etc/berth-escape/volume-file").GetBoolean());
        Assert.True(exists.GetProperty("/etc/berth-abs").GetBoolean());
        Assert.Equal(Erofs, run.View.GetProperty("writes").GetProperty("/etc/berth-escape/written").GetInt32());
        Assert.Equal(0, run.View.GetProperty("writes").GetProperty("/etc/berth-abs/written").GetInt32());
        Assert.False(Path.Exists("/etc/berth-escape"));
        Assert.False(Path.Exists("/etc/berth-abs"));

        // The mount points went into the init layer, at the resolved paths.
        Assert.True(Directory.Exists(Path.Combine(run.Scratch.ContainerDirectory.InitLayer, "etc", "berth-escape")));
        Assert.True(Directory.Exists(Path.Combine(run.Scratch.ContainerDirectory.InitLayer, "etc", "berth-abs")));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void AReadOnlyRootHasNoWritableLayer()
    {
        var run = _containers.ReadOnly;
        var writes = run.View.GetProperty("writes");
        Assert.Equal(Erofs, writes.GetProperty("/written-inside").GetInt32());
        Assert.Equal(Erofs, writes.GetProperty("/etc/os-release").GetInt32());
        Assert.Equal(0, writes.GetProperty("/tmp/written").GetInt32());
        Assert.Equal(0, writes.GetProperty("/etc/berth-abs/written").GetInt32());
        Assert.False(Directory.Exists(run.Scratch.ContainerDirectory.Upper));
        Assert.False(Directory.Exists(run.Scratch.ContainerDirectory.Work));
        Assert.Equal(run.ImageFiles, BusyboxContainerFixture.Snapshot(run.Image));

        var command = run.View.GetProperty("command");
        Assert.True(command.GetProperty("exitCode").GetInt32() == 0, command.ToString());
        Assert.StartsWith("busybox ran\nbb-host\n", command.GetProperty("stdout").GetString(), StringComparison.Ordinal);
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public void WithoutProcTheSetupStaysInTheHostsPidNamespace()
    {
        var view = _containers.ReadOnly.View;
        Assert.NotEqual(1, view.GetProperty("processId").GetInt32());
        Assert.Empty(Strings(view.GetProperty("listings").GetProperty("/proc")));
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!).ToArray();

    private static string Text(JsonElement view, string path)
    {
        var read = view.GetProperty("reads").GetProperty(path);
        Assert.True(read.GetProperty("errno").GetInt32() == 0, $"{path}: {read}");
        return read.GetProperty("text").GetString()!;
    }
}
