using System.Formats.Tar;
using System.IO.Compression;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>Layers built for an export: host paths with the links that lead to them, implied parents, fixed times and owners.</summary>
public sealed class ImageLayerBuilderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-layer-").FullName;

    [Fact]
    public async Task AHostPathComesWithEachSymbolicLinkOnTheWayAndTheFileItEndsAt()
    {
        // root/lib64 -> real/lib, root/real/lib/ld.so -> ../../other/ld-2.so (a file): the loader's path on Debian.
        Directory.CreateDirectory(Path.Combine(_root, "real", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "other"));
        await File.WriteAllTextAsync(Path.Combine(_root, "other", "ld-2.so"), "loader");
        File.CreateSymbolicLink(Path.Combine(_root, "lib64"), "real/lib");
        File.CreateSymbolicLink(Path.Combine(_root, "real", "lib", "ld.so"), "../../other/ld-2.so");

        var entries = await ReadAsync(new ImageLayerBuilder().AddHostPath(Path.Combine(_root, "lib64", "ld.so")));

        var prefix = _root.TrimStart('/');
        Assert.Equal(TarEntryType.SymbolicLink, entries[$"{prefix}/lib64"].EntryType);
        Assert.Equal("real/lib", entries[$"{prefix}/lib64"].LinkName);
        Assert.Equal("../../other/ld-2.so", entries[$"{prefix}/real/lib/ld.so"].LinkName);
        Assert.Equal(TarEntryType.RegularFile, entries[$"{prefix}/other/ld-2.so"].EntryType);
        Assert.Equal(TarEntryType.Directory, entries[$"{prefix}/real/lib/"].EntryType);
        Assert.All(entries.Values, e => Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime));
        Assert.All(entries.Values, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
    }

    [Fact]
    public async Task ParentsComeFirstAndAnEntryBelowALinkIsRefused()
    {
        var entries = await ReadAsync(new ImageLayerBuilder().AddFile("/a/b/c", "x"u8.ToArray()).AddDirectory("/tmp", (UnixFileMode)0b1_111_111_111).AddFile("/a-b", []));
        Assert.Equal(["a/", "a/b/", "a/b/c", "a-b", "tmp/"], entries.Keys);
        Assert.Equal((UnixFileMode)0b1_111_111_111, entries["tmp/"].Mode);

        var broken = new ImageLayerBuilder().AddSymbolicLink("/lib", "usr/lib").AddFile("/lib/x", []);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => broken.WriteAsync(Path.Combine(_root, "blobs")));
        Assert.Contains("/lib/x, below /lib", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotDotAfterASymbolicLinkLeavesItsTargetAsTheKernelDoesNotTheLinksDirectory()
    {
        // root/link -> real/deep/lib: "link/.." is real/deep for the kernel, while its text says root.
        Directory.CreateDirectory(Path.Combine(_root, "real", "deep", "lib"));
        await File.WriteAllTextAsync(Path.Combine(_root, "real", "deep", "target.txt"), "right");
        await File.WriteAllTextAsync(Path.Combine(_root, "target.txt"), "wrong");
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "real/deep/lib");
        File.CreateSymbolicLink(Path.Combine(_root, "via"), "link/../target.txt");
        var throughLink = $"{_root}/link/../target.txt";
        var throughTarget = $"{_root}/via";

        var direct = await ReadAsync(new ImageLayerBuilder().AddHostPath(throughLink));
        var viaLink = await ReadAsync(new ImageLayerBuilder().AddHostPath(throughTarget));

        var prefix = _root.TrimStart('/');
        Assert.Equal("wrong", await File.ReadAllTextAsync(throughLink));   // .NET takes ".." by the text...
        Assert.Equal("right", TestImages.Run("/bin/cat", throughLink));    // ...the kernel does not
        foreach (var entries in new[] { direct, viaLink })
        {
            Assert.Equal("right", await new StreamReader(entries[$"{prefix}/real/deep/target.txt"].DataStream!).ReadToEndAsync());
            Assert.Equal("real/deep/lib", entries[$"{prefix}/link"].LinkName);
            Assert.DoesNotContain($"{prefix}/target.txt", entries.Keys);
            Assert.All(entries.Keys.Select(name => name.TrimEnd('/')), name => Assert.True(
                (prefix + "/").StartsWith(name + "/", StringComparison.Ordinal) || name.StartsWith(prefix + "/", StringComparison.Ordinal),
                $"{name} is neither above nor below {prefix}"));
        }

        Assert.Equal("link/../target.txt", viaLink[$"{prefix}/via"].LinkName);
    }

    [Fact]
    public async Task AHostTreeNamedWithDotDotAfterALinkIsTheKernelsDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real", "deep", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "real", "deep", "app"));
        Directory.CreateDirectory(Path.Combine(_root, "app"));
        await File.WriteAllTextAsync(Path.Combine(_root, "real", "deep", "app", "right.dll"), "right");
        await File.WriteAllTextAsync(Path.Combine(_root, "app", "wrong.dll"), "wrong");
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "real/deep/lib");

        var entries = await ReadAsync(new ImageLayerBuilder().AddHostTree($"{_root}/link/../app", "/app"));

        Assert.Equal(["app/", "app/right.dll"], entries.Keys);
    }

    [Fact]
    public void AHostPathThatGoesThroughAFileOrNowhereOrTheRootIsRefused()
    {
        File.WriteAllText(Path.Combine(_root, "file"), "x");

        var throughFile = Assert.Throws<IOException>(() => new ImageLayerBuilder().AddHostPath($"{_root}/file/../file"));
        var missing = Assert.Throws<IOException>(() => new ImageLayerBuilder().AddHostPath($"{_root}/none/x"));
        var root = Assert.Throws<ArgumentException>(() => new ImageLayerBuilder().AddHostPath($"{_root}/../../../../../../../../.."));
        var relative = Assert.Throws<ArgumentException>(() => new ImageLayerBuilder().AddHostPath("usr/lib"));

        Assert.Contains($"{_root}/file is on the way but is not a directory", throughFile.Message, StringComparison.Ordinal);
        Assert.Contains($"{_root}/none does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("is the root", root.Message, StringComparison.Ordinal);
        Assert.Contains("must be absolute", relative.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The layer's entries in the order written.</summary>
    private async Task<Dictionary<string, TarEntry>> ReadAsync(ImageLayerBuilder layer)
    {
        var blobs = Path.Combine(_root, "blobs");
        var (descriptor, diffId) = await layer.WriteAsync(blobs);
        Assert.Equal(descriptor.ParsedDigest, Digest.OfFile(Path.Combine(blobs, descriptor.ParsedDigest.Hex)));
        var entries = new Dictionary<string, TarEntry>();
        await using var gzip = new GZipStream(File.OpenRead(Path.Combine(blobs, descriptor.ParsedDigest.Hex)), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        await gzip.CopyToAsync(tar);
        Assert.Equal(diffId, Digest.Of(tar.ToArray()));
        tar.Position = 0;
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            entries.Add(entry.Name, entry);
        return entries;
    }
}
