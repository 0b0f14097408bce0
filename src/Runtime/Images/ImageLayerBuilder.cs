using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Runtime.Images;

/// <summary>
/// Builds one image layer, deterministically: the same files give the same bytes, and so the same digest, on every
/// run and every machine. Entries are written sorted by path (parents first), every time is the Unix epoch, owners
/// are the ones given (root unless said otherwise) and never the host's, and the tar is GNU format (long names
/// without PAX headers, whose names .NET derives from the process id) compressed with gzip.
/// </summary>
public sealed class ImageLayerBuilder
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;

    private readonly SortedDictionary<string, ImageLayerEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The number of entries (directories implied by a path not counted until written).</summary>
    public int Count => _entries.Count;

    /// <summary>A directory at <paramref name="path"/> (absolute in the image), mode 0755 by default.</summary>
    public ImageLayerBuilder AddDirectory(string path, UnixFileMode mode = DirectoryMode, int uid = 0, int gid = 0)
    {
        Put(path, new ImageLayerEntry(ImageLayerEntryKind.Directory, mode, uid, gid));
        return this;
    }

    /// <summary>A file holding <paramref name="content"/>, mode 0644 by default.</summary>
    public ImageLayerBuilder AddFile(string path, byte[] content, UnixFileMode mode = FileMode, int uid = 0, int gid = 0)
    {
        ArgumentNullException.ThrowIfNull(content);
        Put(path, new ImageLayerEntry(ImageLayerEntryKind.File, mode, uid, gid) { Content = content });
        return this;
    }

    /// <summary>A symbolic link to <paramref name="target"/>, kept as written (relative or absolute inside the image).</summary>
    public ImageLayerBuilder AddSymbolicLink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        Put(path, new ImageLayerEntry(ImageLayerEntryKind.SymbolicLink, (UnixFileMode)0b111_111_111, 0, 0) { LinkTarget = target });
        return this;
    }

    /// <summary>
    /// A host directory's content at <paramref name="imagePath"/>: directories, files (their permission bits, owned by
    /// root) and symbolic links as they are. A <c>..</c> in <paramref name="hostDirectory"/> is taken as the kernel
    /// takes it (see <see cref="AddHostPath"/>).
    /// </summary>
    public ImageLayerBuilder AddHostTree(string hostDirectory, string imagePath)
    {
        ArgumentNullException.ThrowIfNull(hostDirectory);
        if (hostDirectory.Split('/').Contains(".."))
            hostDirectory = Resolve(Path.IsPathRooted(hostDirectory) ? hostDirectory : Path.Join(Directory.GetCurrentDirectory(), hostDirectory), onLink: null);
        AddDirectory(imagePath, PermissionsOf(hostDirectory) | UnixFileMode.UserWrite);
        foreach (var entry in new DirectoryInfo(hostDirectory).EnumerateFileSystemInfos())
        {
            var target = imagePath.TrimEnd('/') + "/" + entry.Name;
            if (entry.LinkTarget is { } link)
                AddSymbolicLink(target, link);
            else if (entry is DirectoryInfo directory)
                AddHostTree(directory.FullName, target);
            else
                AddHostFile(target, entry.FullName);
        }

        return this;
    }

    /// <summary>A host file's content and permission bits at <paramref name="imagePath"/>, owned by root; read when the layer is written.</summary>
    public ImageLayerBuilder AddHostFile(string imagePath, string hostFile)
    {
        Put(imagePath, new ImageLayerEntry(ImageLayerEntryKind.File, PermissionsOf(hostFile), 0, 0) { HostFile = hostFile });
        return this;
    }

    /// <summary>
    /// A host path at the same path in the image, as the host resolves it: each symbolic link on the way (<c>/lib64
    /// -&gt; usr/lib64</c>, <c>/usr/lib64/ld-linux-x86-64.so.2 -&gt; /lib/x86_64-linux-gnu/…</c>) is recreated and
    /// followed, and the file or directory it ends at is added (a directory with its whole content). A <c>..</c> is
    /// taken where the walk is, as the kernel takes it: after <c>/a/link</c> it leaves the link's target, not
    /// <c>/a</c> (read by its text, <c>/usr/lib/../x</c> with <c>/usr/lib -&gt; /opt/lib</c> would be <c>/usr/x</c>,
    /// another file than the host's).
    /// </summary>
    /// <exception cref="ArgumentException">The path is not absolute or resolves to the root.</exception>
    /// <exception cref="IOException">Something on the way is not a directory, the path does not exist, or links loop.</exception>
    public ImageLayerBuilder AddHostPath(string hostPath)
    {
        var resolved = Resolve(hostPath, (path, link) => AddSymbolicLink(path, link));
        if (Directory.Exists(resolved))
            AddHostTree(resolved, resolved);
        else if (File.Exists(resolved))
            AddHostFile(resolved, resolved);
        else
            throw new IOException($"{hostPath}: {resolved} does not exist.");
        return this;
    }

    /// <summary>
    /// The real path <paramref name="hostPath"/> names, resolved component by component as the kernel does (.NET's
    /// file APIs take <c>..</c> by the text, before the kernel sees the path), telling <paramref name="onLink"/> of
    /// every symbolic link on the way.
    /// </summary>
    private static string Resolve(string hostPath, Action<string, string>? onLink)
    {
        if (!hostPath.StartsWith('/'))
            throw new ArgumentException($"A host path must be absolute: \"{hostPath}\".", nameof(hostPath));

        // Invariant: current is a real directory of the host (no link on its way), so its parent is its text's.
        var pending = new Queue<string>(RawComponents(hostPath));
        var current = "";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == "..")
            {
                current = current.Length == 0 ? "" : current[..current.LastIndexOf('/')];
                continue;
            }

            var next = current + "/" + part;
            if (new FileInfo(next).LinkTarget is { } link)
            {
                if (++links > 40)
                    throw new IOException($"{hostPath}: too many symbolic links on the way (a loop?).");
                onLink?.Invoke(next, link);
                pending = new Queue<string>([.. RawComponents(link), .. pending]);
                if (link.StartsWith('/'))
                    current = "";
                continue;
            }

            if (pending.Count > 0 && !Directory.Exists(next))
            {
                throw new IOException(File.Exists(next)
                    ? $"{hostPath}: {next} is on the way but is not a directory."
                    : $"{hostPath}: {next} does not exist.");
            }

            current = next;
        }

        return current.Length > 0
            ? current
            : throw new ArgumentException($"The host path \"{hostPath}\" is the root; name a file or directory below it.", nameof(hostPath));
    }

    /// <summary>A path's components as written, <c>..</c> kept (for the walk to take), <c>.</c> and empty ones dropped.</summary>
    private static IEnumerable<string> RawComponents(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    /// <summary>
    /// Writes the layer as a gzip-compressed tar into <paramref name="blobsDirectory"/> (<c>blobs/sha256</c> of a
    /// layout), named by its digest.
    /// </summary>
    /// <returns>The layer's descriptor and its diff id (the digest of the uncompressed tar).</returns>
    public async Task<(OciDescriptor Descriptor, Digest DiffId)> WriteAsync(string blobsDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(blobsDirectory);
        var tar = Path.Combine(blobsDirectory, $".layer-{Guid.NewGuid():N}.tar");
        var gzip = tar + ".gz";
        try
        {
            await using (var file = new FileStream(tar, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var writer = new TarWriter(file, TarEntryFormat.Gnu, leaveOpen: true))
            {
                foreach (var (path, entry) in WithParents())
                {
                    await WriteEntryAsync(writer, path, entry, cancellationToken).ConfigureAwait(false);
                }
            }

            // The diff id is hashed on the way into the compressor: one pass over the tar.
            Digest diffId;
            await using (var input = new HashingReadStream(File.OpenRead(tar)))
            await using (var output = new FileStream(gzip, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var compressor = new GZipStream(output, CompressionLevel.Optimal))
            {
                await input.CopyToAsync(compressor, cancellationToken).ConfigureAwait(false);
                diffId = input.DrainAndDigest();
            }

            var digest = Digest.OfFile(gzip);
            var size = new FileInfo(gzip).Length;
            File.Move(gzip, Path.Combine(blobsDirectory, digest.Hex), overwrite: true);
            return (new OciDescriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest.ToString(), Size = size }, diffId);
        }
        finally
        {
            File.Delete(tar);
            File.Delete(gzip);
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, string path, ImageLayerEntry entry, CancellationToken cancellationToken)
    {
        var name = path[1..];
        var tarEntry = entry.Kind switch
        {
            ImageLayerEntryKind.Directory => new GnuTarEntry(TarEntryType.Directory, name + "/"),
            ImageLayerEntryKind.SymbolicLink => new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = entry.LinkTarget! },
            _ => new GnuTarEntry(TarEntryType.RegularFile, name),
        };
        tarEntry.Mode = entry.Mode;
        tarEntry.Uid = entry.Uid;
        tarEntry.Gid = entry.Gid;
        tarEntry.ModificationTime = DateTimeOffset.UnixEpoch;
        tarEntry.AccessTime = DateTimeOffset.UnixEpoch;
        tarEntry.ChangeTime = DateTimeOffset.UnixEpoch;
        if (entry.Kind != ImageLayerEntryKind.File)
        {
            await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using Stream data = entry.HostFile is { } host ? File.OpenRead(host) : new MemoryStream(entry.Content!);
        tarEntry.DataStream = data;
        await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries sorted, each preceded by the directories above it that were not added (0755, root).</summary>
    private IEnumerable<KeyValuePair<string, ImageLayerEntry>> WithParents()
    {
        var all = new SortedDictionary<string, ImageLayerEntry>(_entries, StringComparer.Ordinal);
        foreach (var path in _entries.Keys)
        {
            for (var parent = Parent(path); parent is not null; parent = Parent(parent))
            {
                if (all.TryGetValue(parent, out var existing))
                {
                    if (existing.Kind != ImageLayerEntryKind.Directory)
                        throw new InvalidOperationException($"The layer has {path}, below {parent}, which it holds as a {existing.Kind}, not a directory.");
                    continue;
                }

                all[parent] = new ImageLayerEntry(ImageLayerEntryKind.Directory, DirectoryMode, 0, 0);
            }
        }

        // Sorted by components, so that a directory comes right before its content ("a/b" before "a-c").
        return all.OrderBy(e => e.Key.Replace('/', '\0'), StringComparer.Ordinal);
    }

    private static string? Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }

    private void Put(string path, ImageLayerEntry entry)
    {
        var normalized = "/" + string.Join('/', Components(path));
        if (normalized == "/")
            throw new ArgumentException("A layer entry needs a path below the root.", nameof(path));
        _entries[normalized] = entry;
    }

    /// <summary>A path's components; <c>..</c> is refused (an entry names its place, it does not climb).</summary>
    private static string[] Components(string path)
    {
        if (!path.StartsWith('/'))
            throw new ArgumentException($"An image path must be absolute: \"{path}\".", nameof(path));
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw new ArgumentException($"An image path may not hold '..': \"{path}\".", nameof(path));
        return parts;
    }

    private static UnixFileMode PermissionsOf(string path) =>
        OperatingSystem.IsWindows() ? FileMode : File.GetUnixFileMode(path) & (UnixFileMode)0b111_111_111;
}
