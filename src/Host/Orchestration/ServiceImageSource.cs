namespace Berth.Host.Orchestration;

/// <summary>
/// Where a service's <c>image</c> comes from, by its form: <c>oci:PATH[:TAG]</c> (an OCI image layout),
/// <c>oci-archive:PATH</c> (an OCI or docker-save archive), a directory (a root filesystem as it is: a path that
/// exists, or one starting with <c>.</c>, <c>/</c> or <c>~</c>), else a registry reference
/// (<c>docker.io/library/redis:7</c>). Paths are relative to the stack's directory.
/// </summary>
internal abstract record ServiceImageSource
{
    public const string OciPrefix = "oci:";
    public const string OciArchivePrefix = "oci-archive:";

    public static ServiceImageSource Parse(StackDefinition stack, string image)
    {
        if (image.StartsWith(OciPrefix, StringComparison.Ordinal))
        {
            var rest = image[OciPrefix.Length..];
            var colon = rest.LastIndexOf(':');
            var hasTag = colon > 0 && rest.IndexOf('/', colon) < 0;
            return new OciLayout(stack.ResolvePath(hasTag ? rest[..colon] : rest), hasTag ? rest[(colon + 1)..] : null);
        }

        if (image.StartsWith(OciArchivePrefix, StringComparison.Ordinal))
            return new OciArchive(stack.ResolvePath(image[OciArchivePrefix.Length..]));

        var directory = stack.ResolvePath(image);
        if (Directory.Exists(directory) || image.StartsWith('.') || image.StartsWith('/') || image.StartsWith('~'))
            return new RootDirectory(directory);
        return new Registry(image);
    }

    /// <summary>The name the image has in the store.</summary>
    public abstract string StoreName { get; }

    public sealed record OciLayout(string Path, string? Tag) : ServiceImageSource
    {
        public override string StoreName => Tag is null ? OciPrefix + Path : $"{OciPrefix}{Path}:{Tag}";
    }

    public sealed record OciArchive(string Path) : ServiceImageSource
    {
        public override string StoreName => OciArchivePrefix + Path;
    }

    public sealed record RootDirectory(string Path) : ServiceImageSource
    {
        public override string StoreName => Path;
    }

    public sealed record Registry(string Reference) : ServiceImageSource
    {
        public override string StoreName => Reference;
    }
}
