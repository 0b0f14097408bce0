using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// Unpacking one layer: what a layer holds lands as the archive says, and every hostile archive is refused with a
/// clear error and writes nothing outside its layer's directory (a sentinel directory beside it stays as it was).
/// </summary>
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("berth-layer-").FullName;
    private readonly string _layer;
    private readonly string _outside;

    public LayerUnpackerTests()
    {
        _layer = Path.Combine(_scratch, "a", "b", "layer");
        Directory.CreateDirectory(_layer);
        _outside = Path.Combine(_scratch, "outside");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "target"), "original");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void FilesDirectoriesLinksModesAndOwnersLandAsTheArchiveSays()
    {
        var tar = new TarBuilder()
            .Directory("./")
            .Directory("./usr/", mode: (UnixFileMode)0x1ED)
            .Directory("./usr/bin/")
            .File("./usr/bin/tool", "#!/bin/sh\n", mode: (UnixFileMode)0x9ED, uid: 0, gid: 0)  // 4755: set-uid kept
            .File("./home/app/data", "owned", mode: (UnixFileMode)0x180, uid: 1000, gid: 1001)  // parent implied
            .Symlink("./bin", "usr/bin")
            .HardLink("./usr/bin/tool2", "./usr/bin/tool")
            .Directory("./tmp/", mode: (UnixFileMode)0x3FF)                                        // 1777
            .Fifo("./run.fifo")
            .CharacterDevice("./dev-null", 1, 3)
            .Build();

        var result = Unpack(tar);

        Assert.Equal(OciLayoutWriter.Sha256(tar), result.DiffId.ToString());
        Assert.Equal(1, result.SkippedDevices);
        Assert.False(File.Exists(Path.Combine(_layer, "dev-null")), "device nodes are skipped");
        var tool = Stat(Path.Combine(_layer, "usr/bin/tool"));
        Assert.Equal(0x9ED, tool.Mode & 0xFFF);
        Assert.Equal(2, tool.Links);
        Assert.Equal(tool.Inode, Stat(Path.Combine(_layer, "usr/bin/tool2")).Inode);
        var data = Stat(Path.Combine(_layer, "home/app/data"));
        Assert.Equal((1000, 1001, 0x180), (data.Uid, data.Gid, data.Mode & 0xFFF));
        Assert.Equal(0x1ED, Stat(Path.Combine(_layer, "home")).Mode & 0xFFF);
        Assert.Equal(0x3FF, Stat(Path.Combine(_layer, "tmp")).Mode & 0xFFF);
        Assert.Equal("usr/bin", new FileInfo(Path.Combine(_layer, "bin")).LinkTarget);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(_layer, "run.fifo")) & UnixFileMode.UserExecute);
        Assert.Equal("owned", File.ReadAllText(Path.Combine(_layer, "home/app/data")));
    }

    [Fact]
    public void WhiteoutsBecomeOverlayWhiteoutsAndOpaqueMarkersTheOpaqueAttribute()
    {
        var tar = new TarBuilder()
            .Directory("etc/")
            .File("etc/.wh.removed", "")
            .Directory("var/cache/")
            .File("var/cache/.wh..wh..opq", "")
            .File("var/cache/fresh", "new")
            .File(".wh..wh.plnk", "")
            .Build();

        Unpack(tar);

        var whiteout = Stat(Path.Combine(_layer, "etc/removed"));
        Assert.Equal(0x2000, whiteout.Mode & 0xF000);
        Assert.Equal(0UL, whiteout.Device);
        Assert.False(File.Exists(Path.Combine(_layer, "etc/.wh.removed")));
        Assert.Equal("y", Xattr.Get(Path.Combine(_layer, "var/cache"), "trusted.overlay.opaque"));
        Assert.Equal("new", File.ReadAllText(Path.Combine(_layer, "var/cache/fresh")));
        Assert.False(File.Exists(Path.Combine(_layer, ".wh..wh.plnk")));
    }

    [Fact]
    public void ALaterEntryReplacesASymlinkInsteadOfWritingThroughIt()
    {
        var tar = new TarBuilder()
            .Symlink("file", Path.Combine(_outside, "target"))
            .File("file", "replaced")
            .Build();

        Unpack(tar);

        Assert.Null(new FileInfo(Path.Combine(_layer, "file")).LinkTarget);
        Assert.Equal("replaced", File.ReadAllText(Path.Combine(_layer, "file")));
        Assert.Equal("original", File.ReadAllText(Path.Combine(_outside, "target")));
    }

    [Fact]
    public void ParentDirectoryNamesAreRefused() =>
        AssertRefused(new TarBuilder().File("../../../outside/escaped", "x").Build(), "climbs out of the layer with '..'");

    [Fact]
    public void DotDotInTheMiddleIsRefused() =>
        AssertRefused(new TarBuilder().Directory("usr/").File("usr/../../outside/escaped", "x").Build(), "climbs out of the layer with '..'");

    [Fact]
    public void AbsoluteNamesAreRefused() =>
        AssertRefused(new TarBuilder().File(Path.Combine(_outside, "escaped"), "x").Build(), "is an absolute path");

    [Fact]
    public void WritingThroughARelativeSymlinkOfTheSameLayerIsRefused() =>
        AssertRefused(
            new TarBuilder().Symlink("up", "../../../outside").File("up/escaped", "x").Build(),
            "lies below \"up\", a symbolic link of the same layer");

    [Fact]
    public void WritingThroughAnAbsoluteSymlinkOfTheSameLayerIsRefused() =>
        AssertRefused(
            new TarBuilder().Directory("a/").Symlink("a/abs", _outside).File("a/abs/escaped", "x").Build(),
            "lies below \"a/abs\", a symbolic link of the same layer");

    [Fact]
    public void ASymlinkDirectoryReplacedThenWrittenThroughIsRefused() =>
        AssertRefused(
            new TarBuilder().Directory("d/").File("d/f", "x").Symlink("d", _outside).File("d/escaped", "x").Build(),
            "a symbolic link of the same layer");

    [Fact]
    public void AHardLinkOutOfTheLayerIsRefused() =>
        AssertRefused(new TarBuilder().HardLink("stolen", "../../../outside/target").Build(), "climbs out of the layer with '..'");

    [Fact]
    public void AnAbsoluteHardLinkIsRefused() =>
        AssertRefused(new TarBuilder().HardLink("stolen", Path.Combine(_outside, "target")).Build(), "is an absolute path");

    [Fact]
    public void AHardLinkThroughASymlinkIsRefused() =>
        AssertRefused(
            new TarBuilder().Symlink("out", _outside).HardLink("stolen", "out/target").Build(),
            "is not a file this layer holds");

    [Fact]
    public void AWhiteoutWithoutANameIsRefused() =>
        AssertRefused(new TarBuilder().File("etc/.wh...", "").Build(), "names no file");

    [Fact]
    public void ATruncatedArchiveIsRefused()
    {
        var tar = new TarBuilder().File("big", new string('x', 4096)).Build();
        AssertRefused(tar[..1000], "not a valid tar archive");
    }

    [Fact]
    public void AnEntryBelowAFileIsRefused() =>
        AssertRefused(new TarBuilder().File("f", "x").File("f/g", "y").Build(), "which is not a directory");

    private LayerUnpackResult Unpack(byte[] tar)
    {
        using var stream = new MemoryStream(tar);
        return LayerUnpacker.Unpack(stream, _layer, []);
    }

    private void AssertRefused(byte[] tar, string reason)
    {
        var before = Snapshot();
        var error = Assert.Throws<ImageFormatException>(() => Unpack(tar));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.Equal("original", File.ReadAllText(Path.Combine(_outside, "target")));
    }

    /// <summary>Everything in the scratch directory outside the layer.</summary>
    private string[] Snapshot() =>
        Directory.EnumerateFileSystemEntries(_scratch, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(_layer, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static unsafe FileStatus Stat(string path)
    {
        Tmds.Linux.stat status;
        fixed (byte* bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            Assert.Equal(0, Tmds.Linux.LibC.lstat(bytes, &status));
        return new FileStatus((int)(uint)status.st_mode, (int)(uint)status.st_uid, (int)(uint)status.st_gid, (ulong)status.st_ino, (int)(ulong)status.st_nlink, (ulong)status.st_rdev);
    }

    private sealed record FileStatus(int Mode, int Uid, int Gid, ulong Inode, int Links, ulong Device);
}
