using System.Formats.Tar;
using System.Text.Json.Nodes;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>An archive over a base: the base's blobs go into the tar from where they are, each blob once.</summary>
public sealed class OciImageWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-writer-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [RequiresToolFact("skopeo", "skopeo")]
    public async Task AnArchiveOverABaseHoldsEachBlobOnceAndSkopeoAndTheStoreReadIt()
    {
        // A base whose layer repeats (as Docker's empty layers do), and a new layer with the same bytes as one of its own.
        var baseBlobs = Path.Combine(_root, "base");
        static ImageLayerBuilder Shared() => new ImageLayerBuilder().AddFile("/etc/shared", "shared"u8.ToArray());
        var (shared, sharedDiff) = await Shared().WriteAsync(baseBlobs);
        var (other, otherDiff) = await new ImageLayerBuilder().AddFile("/etc/other", "other"u8.ToArray()).WriteAsync(baseBlobs);
        string Blob(OciDescriptor descriptor) => Path.Combine(baseBlobs, descriptor.ParsedDigest.Hex);
        var imageBase = new ImageBase(
            "base",
            [(shared, Blob(shared)), (other, Blob(other)), (shared, Blob(shared))],
            new OciImageConfig { Os = "linux", Architecture = OciPlatform.Current.Architecture, Rootfs = new OciRootfs { DiffIds = [sharedDiff.ToString(), otherDiff.ToString(), sharedDiff.ToString()] } });
        var archive = Path.Combine(_root, "image.tar");

        var manifest = await OciImageWriter.WriteArchiveAsync(
            archive, "1.0", imageBase, [Shared(), new ImageLayerBuilder().AddFile("/app/run", "app"u8.ToArray())], new OciRunConfig { Entrypoint = ["/app/run"] });

        var names = new List<string>();
        await using (var reader = new TarReader(File.OpenRead(archive)))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
                names.Add(entry.Name);
        }

        var blobs = names.Where(n => n.StartsWith("blobs/sha256/", StringComparison.Ordinal) && n.Length > "blobs/sha256/".Length).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(5, blobs.Count);   // shared, other, the app's layer, the config, the manifest
        Assert.Equal(blobs.Order(StringComparer.Ordinal), blobs);
        var inspected = JsonNode.Parse(TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", $"oci-archive:{archive}"))!;
        Assert.Equal(manifest.Digest, inspected["Digest"]!.GetValue<string>());
        var layers = inspected["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Equal([shared.Digest, other.Digest, shared.Digest, shared.Digest], layers[..4]);
        Assert.Contains(layers[4]["sha256:".Length..], blobs.Select(b => b["blobs/sha256/".Length..]));

        var stored = await ImageArchiveImporter.ImportAsync(new ImageStore(Path.Combine(_root, "state")), archive, "exported");
        Assert.Equal(manifest.ParsedDigest, stored.ManifestDigest);
        Assert.Equal(5, stored.LayerDirectories.Count);
    }
}
