namespace Berth.Runtime.Images;

/// <summary>
/// Imports an image from an OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>,
/// <c>blobs/sha256/…</c>; what <c>skopeo copy … oci:DIR:TAG</c> and <c>umoci</c> write): the tag's manifest (or the
/// layout's only one), for this machine's platform when it is an index; each blob copied into the store and checked
/// against its digest on the way.
/// </summary>
public static class OciLayoutImporter
{
    /// <summary>Stores the image and names it <paramref name="name"/>.</summary>
    /// <param name="tag">The <c>org.opencontainers.image.ref.name</c> to pick; null when the layout holds one image.</param>
    /// <exception cref="ImageFormatException">Not a layout, no such tag, or a blob missing or corrupted.</exception>
    public static async Task<StoredImage> ImportAsync(
        ImageStore store, string layoutDirectory, string? tag, string name, IProgress<ImageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var what = tag is null ? $"The OCI layout {layoutDirectory}" : $"The OCI layout {layoutDirectory} (tag {tag})";
        using var use = await store.UseAsync(cancellationToken).ConfigureAwait(false);   // its blobs are named only at the end: no prune before
        var layoutFile = Path.Combine(layoutDirectory, "oci-layout");
        if (!File.Exists(layoutFile))
            throw new ImageFormatException($"{layoutDirectory} is not an OCI image layout: it has no oci-layout file.");
        var version = ManifestResolver.Deserialize(await File.ReadAllBytesAsync(layoutFile, cancellationToken).ConfigureAwait(false), ImageJsonContext.Default.OciLayoutFile, layoutFile);
        if (!version.ImageLayoutVersion.StartsWith("1.", StringComparison.Ordinal))
            throw new ImageFormatException($"{layoutFile}: image layout version {version.ImageLayoutVersion} is not supported (1.x is).");

        var indexFile = Path.Combine(layoutDirectory, "index.json");
        var index = ManifestResolver.Deserialize(await File.ReadAllBytesAsync(indexFile, cancellationToken).ConfigureAwait(false), ImageJsonContext.Default.OciIndex, indexFile);
        var top = PickTagged(index.Manifests, tag, what);

        async Task<byte[]> Read(OciDescriptor descriptor, CancellationToken token)
        {
            var digest = await CopyBlobAsync(store, layoutDirectory, descriptor.ParsedDigest, token).ConfigureAwait(false);
            return store.ReadBlob(digest);
        }

        var manifestDescriptor = await ManifestResolver.ResolveAsync(top, OciPlatform.Current, Read, what, cancellationToken).ConfigureAwait(false);
        var manifestDigest = await CopyBlobAsync(store, layoutDirectory, manifestDescriptor.ParsedDigest, cancellationToken).ConfigureAwait(false);
        var manifest = store.ReadManifest(manifestDigest);
        await CopyBlobAsync(store, layoutDirectory, manifest.Config.ParsedDigest, cancellationToken).ConfigureAwait(false);
        foreach (var layer in manifest.Layers)
        {
            await CopyBlobAsync(store, layoutDirectory, layer.ParsedDigest, cancellationToken).ConfigureAwait(false);
        }

        return store.Commit(name, manifestDigest, progress: progress);
    }

    /// <summary>The descriptor tagged <paramref name="tag"/>, or the only one when no tag is asked for.</summary>
    internal static OciDescriptor PickTagged(IReadOnlyList<OciDescriptor> manifests, string? tag, string what)
    {
        static string? TagOf(OciDescriptor d) => d.Annotations?.GetValueOrDefault(OciDescriptor.RefNameAnnotation);
        var tags = manifests.Select(TagOf).Where(t => t is not null).ToList();
        if (tag is not null)
        {
            return manifests.FirstOrDefault(d => TagOf(d) == tag)
                ?? throw new ImageFormatException($"{what} has no image tagged \"{tag}\"; its tags: {(tags.Count == 0 ? "none" : string.Join(", ", tags))}.");
        }

        return manifests.Count switch
        {
            1 => manifests[0],
            0 => throw new ImageFormatException($"{what} holds no image."),
            _ => throw new ImageFormatException($"{what} holds {manifests.Count} images; name one by its tag ({string.Join(", ", tags)}), as oci:PATH:TAG."),
        };
    }

    private static async Task<Digest> CopyBlobAsync(ImageStore store, string layoutDirectory, Digest digest, CancellationToken cancellationToken)
    {
        if (store.HasBlob(digest))
            return digest;
        var path = Path.Combine(layoutDirectory, "blobs", "sha256", digest.Hex);
        if (!File.Exists(path))
            throw new ImageFormatException($"The OCI layout {layoutDirectory} lacks the blob {digest} ({path}).");
        await using var file = File.OpenRead(path);
        return await store.PutBlobAsync(file, digest, cancellationToken).ConfigureAwait(false);
    }
}
