using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// The store with images made here: layers unpacked once and shared, whiteouts and opaque directories as a running
/// container sees them, corrupted blobs and layers refused, garbage collection that spares running containers.
/// </summary>
public sealed class ImageStoreTests : IDisposable
{
    private readonly ImageScratch _images = new("berth-images-");

    public void Dispose() => _images.Dispose();

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task AContainerSeesWhiteoutsAndOpaqueDirectoriesAsTheLayersSay()
    {
        var lower = new TarBuilder()
            .Directory("data/")
            .File("data/kept", "kept")
            .File("data/removed", "removed")
            .Directory("data/cache/")
            .File("data/cache/old", "old")
            .Build();
        var upper = new TarBuilder()
            .File("data/.wh.removed", "")
            .Directory("data/cache/")
            .File("data/cache/.wh..wh..opq", "")
            .File("data/cache/new", "new")
            .Build();
        var image = await ImportAsync("layered", [TestImages.BusyboxLayer, lower, upper]);

        var (exit, output) = await _images.RunShellAsync(image, "ls /data /data/cache");

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["/data:", "cache", "kept", "/data/cache:", "new"], Lines(output));
    }

    [Fact]
    public async Task LayersAreUnpackedOnceAndSharedByImagesWithTheSameBase()
    {
        var base1 = new TarBuilder().File("base", "b").Build();
        var first = await ImportAsync("first", [base1, new TarBuilder().File("one", "1").Build()]);
        var second = await ImportAsync("second", [base1, new TarBuilder().File("two", "2").Build()]);

        Assert.Equal(first.LayerDirectories[^1], second.LayerDirectories[^1]);
        Assert.NotEqual(first.LayerDirectories[0], second.LayerDirectories[0]);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(_images.Store.Directory, "layers")).Length);
        Assert.Equal(["first", "second"], _images.Store.List().Select(r => r.Name));
    }

    [Fact]
    public async Task ACorruptedBlobIsDetectedByItsDigestAndNotStored()
    {
        var layout = Path.Combine(_images.Directory, "corrupt");
        var manifest = OciLayoutWriter.Write(layout, [new TarBuilder().File("f", "content").Build()]);
        var layer = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Single(p => new FileInfo(p).Length > 0 && IsGzip(p));
        var bytes = File.ReadAllBytes(layer);
        bytes[^5] ^= 0xFF;
        File.WriteAllBytes(layer, bytes);

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => OciLayoutImporter.ImportAsync(_images.Store, layout, null, "corrupt"));

        Assert.Contains($"said to be sha256:{Path.GetFileName(layer)} has the digest", error.Message, StringComparison.Ordinal);
        Assert.Null(_images.Store.FindRecord("corrupt"));
        Assert.False(_images.Store.HasBlob(Digest.Parse("sha256:" + Path.GetFileName(layer))));
        Assert.True(_images.Store.HasBlob(Digest.Parse(manifest)), "the manifest itself was fine");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_images.Store.Directory, "tmp")));
    }

    [Fact]
    public async Task ALayerWhoseContentIsNotWhatTheConfigSaysIsRefused()
    {
        var layout = Path.Combine(_images.Directory, "forged");
        var promised = OciLayoutWriter.Sha256(new TarBuilder().File("f", "content").Build());
        OciLayoutWriter.Write(layout, [new TarBuilder().File("f", "other").Build()], diffIds: [promised]);

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => OciLayoutImporter.ImportAsync(_images.Store, layout, null, "forged"));

        Assert.Contains($"but the image's config says {promised}", error.Message, StringComparison.Ordinal);
        Assert.Null(_images.Store.FindRecord("forged"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_images.Store.Directory, "tmp")));
        Assert.False(Directory.Exists(Path.Combine(_images.Store.Directory, "layers")));
    }

    [Fact]
    public async Task AHostileLayerLeavesNothingInTheStoreOrOutsideIt()
    {
        var outside = Path.Combine(_images.Directory, "outside");
        var hostile = new TarBuilder().Symlink("link", outside).File("link/escaped", "x").Build();

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => ImportAsync("hostile", [hostile]));

        Assert.Contains("a symbolic link of the same layer", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outside));
        Assert.Null(_images.Store.FindRecord("hostile"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_images.Store.Directory, "tmp")));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task PruneKeepsWhatARunningContainerUsesAndDeletesItOnceTheContainerIsGone()
    {
        var image = await ImportAsync("gc", [TestImages.BusyboxLayer, new TarBuilder().File("marker", "m").Build()]);
        var unused = await ImportAsync("unused", [new TarBuilder().File("other", "o").Build()]);
        Assert.True(_images.Store.Remove("unused"));

        var container = await _images.Runtime.Runtime.StartAsync(ImageScratch.ShellSpec(image, "cat /marker; echo; exec sleep 600"));
        try
        {
            Assert.Equal("m", await container.StandardOutput.ReadLineAsync());
            Assert.True(_images.Store.Remove("gc"));

            var first = _images.Store.Prune();

            Assert.Equal(1, first.Layers);
            Assert.False(Directory.Exists(unused.LayerDirectories[0]));
            Assert.All(image.LayerDirectories, layer => Assert.True(Directory.Exists(layer), $"{layer} is in use"));
            Assert.Equal(3 + 4, first.Blobs); // no name reaches any blob now: the layer directories are what a container needs
        }
        finally
        {
            await container.DisposeAsync();
        }

        var second = _images.Store.Prune();

        Assert.Equal(2, second.Layers);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_images.Store.Directory, "layers")));
    }

    [Fact]
    public async Task PruneGoesOnPastACorruptedManifestAndAnUnreadableNameAndKeepsWhatReadableImagesUse()
    {
        var baseLayer = new TarBuilder().File("base", "b").Build();
        var good = await ImportAsync("good", [baseLayer, new TarBuilder().File("good", "g").Build()]);
        var bad = await ImportAsync("bad", [baseLayer, new TarBuilder().File("bad", "x").Build()]);
        var badManifest = _images.Store.BlobPath(bad.ManifestDigest);
        await File.WriteAllTextAsync(badManifest, "{\"not\": \"the manifest\"}");
        var brokenName = Path.Combine(_images.Store.Directory, "names", "0000.json");
        await File.WriteAllTextAsync(brokenName, "{ broken");

        var pruned = _images.Store.Prune();

        Assert.Equal(2, pruned.Problems.Count);
        Assert.Contains(pruned.Problems, p => p.StartsWith($"The manifest {bad.ManifestDigest} of bad is corrupted (its content has another digest); it was deleted: pull or import bad again.", StringComparison.Ordinal));
        Assert.Contains(pruned.Problems, p => p.StartsWith($"The image name file {brokenName} cannot be read", StringComparison.Ordinal));
        Assert.False(File.Exists(badManifest));
        Assert.True(File.Exists(brokenName));
        Assert.False(Directory.Exists(bad.LayerDirectories[0]));   // bad's own layer: nothing readable reaches it
        Assert.Equal(good.LayerDirectories, _images.Store.Find("good")!.LayerDirectories);
        Assert.All(good.LayerDirectories, layer => Assert.True(Directory.Exists(layer), $"{layer} belongs to good"));

        // With the corrupted blob gone, importing the image again repairs it; only the broken name is left to report.
        var again = await OciLayoutImporter.ImportAsync(_images.Store, Path.Combine(_images.Directory, "bad"), "latest", "bad");
        Assert.Equal(bad.ManifestDigest, again.ManifestDigest);
        Assert.Single(_images.Store.Prune().Problems);
    }

    [Fact]
    public async Task ListSkipsAnUnreadableNameAndSaysWhy()
    {
        await ImportAsync("good", [new TarBuilder().File("good", "g").Build()]);
        var brokenName = Path.Combine(_images.Store.Directory, "names", "0000.json");
        await File.WriteAllTextAsync(brokenName, "{ broken");
        var problems = new List<string>();

        var listed = _images.Store.List(problems);

        Assert.Equal(["good"], listed.Select(r => r.Name));
        Assert.StartsWith($"The image name file {brokenName} cannot be read", Assert.Single(problems), StringComparison.Ordinal);
        Assert.True(File.Exists(brokenName));
    }

    [Fact]
    public async Task PruneWaitsForWhatUsesTheStoreAndNeverSweepsAnImportInProgress()
    {
        var unnamed = await _images.Store.PutBlobAsync("not named yet"u8.ToArray());
        using (await _images.Store.UseAsync())
        {
            Assert.Null(_images.Store.TryPrune());
            Assert.True(_images.Store.HasBlob(unnamed));
        }

        // Prune, not TryPrune: a process another test is starting holds a copy of the lock's descriptor for the
        // moment between its fork and its exec (close-on-exec), and prune waits that out.
        Assert.Equal(1, _images.Store.Prune().Blobs);
        Assert.False(_images.Store.HasBlob(unnamed));

        // Imports of new images (blobs stored, named only at the end) while prunes run: every import is complete.
        for (var i = 0; i < 8; i++)
            OciLayoutWriter.Write(Path.Combine(_images.Directory, $"concurrent-{i}"), [new TarBuilder().File($"file-{i}", new string('x', 100_000 + i)).Build()]);
        using var importsDone = new CancellationTokenSource();
        var prunes = Task.Run(() =>
        {
            var count = 0;
            while (!importsDone.IsCancellationRequested)
            {
                _images.Store.Prune();
                count++;
            }

            return count;
        });
        var imported = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            OciLayoutImporter.ImportAsync(_images.Store, Path.Combine(_images.Directory, $"concurrent-{i}"), "latest", $"concurrent-{i}"))));
        await importsDone.CancelAsync();
        Assert.True(await prunes > 0);

        Assert.All(imported, image => Assert.All(image.LayerDirectories, layer => Assert.True(Directory.Exists(layer), layer)));
        Assert.Equal(8, _images.Store.List().Count(r => r.Name.StartsWith("concurrent-", StringComparison.Ordinal)));
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task AContainerWhoseLayerWasPrunedFailsToStartNamingIt()
    {
        var image = await ImportAsync("gone", [TestImages.BusyboxLayer]);
        Assert.True(_images.Store.Remove("gone"));
        Assert.Equal(1, _images.Store.Prune().Layers);

        var error = await Assert.ThrowsAsync<Containers.ContainerStartException>(() => _images.Runtime.Runtime.StartAsync(ImageScratch.ShellSpec(image, "true")));

        // Checked up front; a prune in the moment between that check and the layers' record is checked again under the store's lock.
        Assert.Contains($"The root filesystem {image.LayerDirectories[0]} does not exist", error.Message, StringComparison.Ordinal);
    }

    private async Task<StoredImage> ImportAsync(string name, IReadOnlyList<byte[]> layers)
    {
        var layout = Path.Combine(_images.Directory, name);
        OciLayoutWriter.Write(layout, layers);
        return await OciLayoutImporter.ImportAsync(_images.Store, layout, "latest", name);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }
}
