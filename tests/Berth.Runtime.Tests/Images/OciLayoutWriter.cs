using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>Writes an OCI image layout from layer tars made in the test: gzip layers, a config, a manifest, an index.</summary>
internal static class OciLayoutWriter
{
    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the layout; returns the manifest's digest. <paramref name="diffIds"/> forges the config's.</summary>
    public static string Write(string directory, IReadOnlyList<byte[]> layers, OciRunConfig? run = null, string tag = "latest", bool compress = true, IReadOnlyList<string>? diffIds = null)
    {
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var descriptors = layers.Select(tar =>
        {
            var blob = compress ? Gzip(tar) : tar;
            return new OciDescriptor { MediaType = compress ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer, Digest = WriteBlob(directory, blob), Size = blob.Length };
        }).ToList();
        var config = JsonSerializer.SerializeToUtf8Bytes(new OciImageConfig
        {
            Architecture = OciPlatform.Current.Architecture,
            Os = "linux",
            Config = run ?? new OciRunConfig(),
            Rootfs = new OciRootfs { DiffIds = diffIds ?? [.. layers.Select(Sha256)] },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new OciManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = WriteBlob(directory, config), Size = config.Length },
            Layers = descriptors,
        });
        var manifestDigest = WriteBlob(directory, manifest);
        var index = new OciIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                new OciDescriptor
                {
                    MediaType = MediaTypes.OciManifest,
                    Digest = manifestDigest,
                    Size = manifest.Length,
                    Annotations = new() { [OciDescriptor.RefNameAnnotation] = tag },
                },
            ],
        };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index));
        return manifestDigest;
    }

    public static string BlobPath(string directory, string digest) => Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..]);

    private static string WriteBlob(string directory, byte[] blob)
    {
        var digest = Sha256(blob);
        File.WriteAllBytes(BlobPath(directory, digest), blob);
        return digest;
    }

    private static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(tar);
        return output.ToArray();
    }
}
