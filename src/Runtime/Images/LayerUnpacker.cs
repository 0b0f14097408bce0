using System.Formats.Tar;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Runtime.Images;

/// <summary>
/// Unpacks one layer's tar into a new, empty directory that overlayfs will use as a lower directory: whiteouts
/// (<c>.wh.NAME</c>) become overlayfs whiteouts (a 0:0 character device), opaque markers (<c>.wh..wh..opq</c>) the
/// <c>trusted.overlay.opaque</c> attribute of their directory; modes (set-id bits included), owners, times,
/// symbolic and hard links as the archive says; device nodes are skipped.
/// <para>
/// Safe against a hostile archive: nothing is ever written outside the layer's directory. An absolute name, a
/// <c>..</c> component, an entry below a symbolic link of the same layer and a hard link to anything the layer does
/// not hold are refused with an <see cref="ImageFormatException"/> naming the entry; every file is created with
/// <c>O_EXCL|O_NOFOLLOW</c> after whatever held its name was removed (never written through), and every directory
/// on an entry's way is checked with <c>lstat</c> to be a real directory of this layer. Where a path goes through a
/// symbolic link of a lower layer (<c>/lib -&gt; usr/lib</c>), it is followed inside the image, as
/// <see cref="ContainerPath"/> does, so the entry lands where Docker would put it.
/// </para>
/// </summary>
internal sealed class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const uint DirectoryMode = 0x1ED;

    private readonly string _root;
    private readonly IReadOnlyList<string> _lowerLayers;
    private int _skippedDevices;

    private LayerUnpacker(string root, IReadOnlyList<string> lowerLayers)
    {
        _root = root;
        _lowerLayers = lowerLayers;
    }

    /// <summary>
    /// Unpacks <paramref name="blob"/> (tar, tar+gzip or tar+zstd) into <paramref name="directory"/>, which must exist
    /// and be empty; <paramref name="lowerLayers"/> are the unpacked layers below it, top first.
    /// </summary>
    /// <returns>The digest of the uncompressed tar (the layer's diff id) and how many device nodes were skipped.</returns>
    /// <exception cref="ImageFormatException">The archive is malformed or hostile.</exception>
    public static LayerUnpackResult Unpack(Stream blob, string directory, IReadOnlyList<string> lowerLayers, Action<long>? progress = null)
    {
        var unpacker = new LayerUnpacker(directory, lowerLayers);
        using var hashing = new HashingReadStream(LayerCompression.Open(blob), progress);
        try
        {
            using var reader = new TarReader(hashing, leaveOpen: true);
            while (reader.GetNextEntry() is { } entry)
            {
                unpacker.Apply(entry);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ImageFormatException($"The layer is not a valid tar archive: {e.Message}", e);
        }

        return new LayerUnpackResult(hashing.DrainAndDigest(), unpacker._skippedDevices);
    }

    private void Apply(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            return;

        var components = LayerEntryName.Split(entry.Name, "The entry");
        if (components.Length == 0)
        {
            // "./": the layer's root directory itself.
            if (entry.EntryType is TarEntryType.Directory)
                SetDirectoryMetadata(_root, entry);
            return;
        }

        var name = components[^1];
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry, components[..^1], name);
            return;
        }

        var parent = PrepareParent(entry.Name, components[..^1]);
        var target = parent + "/" + name;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                MakeDirectory(target, entry);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                WriteFile(target, entry);
                break;
            case TarEntryType.SymbolicLink:
                RemoveExisting(target);
                LayerSyscalls.MakeSymlink(entry.LinkName, target);
                LayerSyscalls.ChangeLinkOwner(target, entry.Uid, entry.Gid);
                LayerSyscalls.SetTimes(target, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                MakeHardLink(entry, target);
                break;
            case TarEntryType.Fifo:
                RemoveExisting(target);
                LayerSyscalls.MakeFifo(target, (uint)entry.Mode);
                LayerSyscalls.ChangeLinkOwner(target, entry.Uid, entry.Gid);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                // A container gets its devices from the runtime's /dev; a device node in an image is at best
                // useless and at worst a way to the host's disks.
                _skippedDevices++;
                break;
            default:
                throw new ImageFormatException($"The entry \"{entry.Name}\" is of a kind layers do not hold ({entry.EntryType}).");
        }
    }

    private void ApplyWhiteout(TarEntry entry, string[] parentComponents, string name)
    {
        var parent = PrepareParent(entry.Name, parentComponents);
        if (name == OpaqueMarker)
        {
            // The directory hides everything the layers below hold in it.
            LayerSyscalls.SetAttribute(parent, "trusted.overlay.opaque", "y"u8);
            return;
        }

        if (name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
            return; // aufs bookkeeping (.wh..wh.plnk and the like), meaningless here.

        var hidden = name[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or "..")
            throw new ImageFormatException($"The whiteout \"{entry.Name}\" names no file.");
        var target = parent + "/" + hidden;
        RemoveExisting(target);
        LayerSyscalls.MakeWhiteout(target);
    }

    /// <summary>
    /// The host path of the directory an entry goes into, created where missing: the entry's parent as named, no
    /// symbolic link of this layer on the way, followed through the lower layers' links.
    /// </summary>
    private string PrepareParent(string entryName, string[] components)
    {
        var current = _root;
        foreach (var component in components)
        {
            current += "/" + component;
            var kind = Lstat(current);
            if (kind == FileKind.Symlink)
            {
                throw new ImageFormatException(
                    $"The entry \"{entryName}\" lies below \"{Path.GetRelativePath(_root, current)}\", a symbolic link of the same layer; a layer may not write through its own links.");
            }

            if (kind == FileKind.Missing)
                break;
            if (kind != FileKind.Directory)
                throw new ImageFormatException($"The entry \"{entryName}\" lies below \"{Path.GetRelativePath(_root, current)}\", which is not a directory.");
        }

        var containerPath = LayerEntryName.ToContainerPath(components);
        var resolved = _lowerLayers.Count == 0 ? containerPath : ContainerPath.ResolveInLayers([_root, .. _lowerLayers], containerPath);

        current = _root;
        var prefix = "";
        foreach (var component in resolved.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + component;
            prefix += "/" + component;
            switch (Lstat(current))
            {
                case FileKind.Directory:
                    continue;
                case FileKind.Missing:
                    MakeImplicitDirectory(current, prefix);
                    continue;
                default:
                    throw new ImageFormatException($"The entry \"{entryName}\" lies below \"{prefix}\", which is not a directory.");
            }
        }

        return current;
    }

    /// <summary>
    /// A directory the archive did not list: as the layer below has it (overlayfs shows the upper directory's
    /// owner and mode, so a fresh 0755 would turn a lower /tmp's 1777 into 0755), else root's 0755.
    /// </summary>
    private void MakeImplicitDirectory(string hostPath, string containerPath)
    {
        LayerSyscalls.MakeDirectory(hostPath, DirectoryMode);
        using var directory = LayerSyscalls.OpenDirectory(hostPath);
        foreach (var lower in _lowerLayers)
        {
            if (Lstat(ContainerPath.Join(lower, containerPath), out var status) == FileKind.Directory)
            {
                LayerSyscalls.ChangeOwner(directory, (int)(uint)status.st_uid, (int)(uint)status.st_gid, hostPath);
                LayerSyscalls.ChangeMode(directory, (uint)status.st_mode & 0xFFF, hostPath);
                return;
            }
        }

        LayerSyscalls.ChangeMode(directory, DirectoryMode, hostPath);
    }

    private static void MakeDirectory(string target, TarEntry entry)
    {
        if (Lstat(target) != FileKind.Directory)
        {
            RemoveExisting(target);
            LayerSyscalls.MakeDirectory(target, 0x1C0);
        }

        SetDirectoryMetadata(target, entry);
    }

    private static void SetDirectoryMetadata(string target, TarEntry entry)
    {
        using var directory = LayerSyscalls.OpenDirectory(target);
        LayerSyscalls.ChangeOwner(directory, entry.Uid, entry.Gid, target);
        LayerSyscalls.ChangeMode(directory, (uint)entry.Mode, target);
        LayerSyscalls.SetTimes(target, entry.ModificationTime);
    }

    private static void WriteFile(string target, TarEntry entry)
    {
        RemoveExisting(target);
        using (var file = new FileStream(LayerSyscalls.CreateFile(target), FileAccess.Write, 0))
        {
            entry.DataStream?.CopyTo(file);

            // Owner before mode: chown clears the set-id bits.
            LayerSyscalls.ChangeOwner(file.SafeFileHandle, entry.Uid, entry.Gid, target);
            LayerSyscalls.ChangeMode(file.SafeFileHandle, (uint)entry.Mode, target);
        }

        LayerSyscalls.SetTimes(target, entry.ModificationTime);
    }

    private void MakeHardLink(TarEntry entry, string target)
    {
        var components = LayerEntryName.Split(entry.LinkName, $"The hard link \"{entry.Name}\" has a target that");
        if (components.Length == 0)
            throw new ImageFormatException($"The hard link \"{entry.Name}\" points to the layer's root.");
        var existing = _root;
        for (var i = 0; i < components.Length; i++)
        {
            existing += "/" + components[i];
            var kind = Lstat(existing);
            var last = i == components.Length - 1;
            if ((!last && kind != FileKind.Directory) || (last && kind is not (FileKind.File or FileKind.Symlink)))
            {
                throw new ImageFormatException(
                    $"The hard link \"{entry.Name}\" points to \"{entry.LinkName}\", which is not a file this layer holds (links may not leave their layer).");
            }
        }

        if (existing == target)
            return;
        RemoveExisting(target);
        LayerSyscalls.MakeHardLink(existing, target);
    }

    /// <summary>Whatever holds the name goes, never followed: a later entry replaces an earlier one, as in tar.</summary>
    private static void RemoveExisting(string target)
    {
        switch (Lstat(target))
        {
            case FileKind.Missing:
                return;
            case FileKind.Directory:
                // .NET deletes a symbolic link met inside the tree and never enters it.
                Directory.Delete(target, recursive: true);
                return;
            default:
                LayerSyscalls.Unlink(target);
                return;
        }
    }

    private static FileKind Lstat(string path) => Lstat(path, out _);

    private static unsafe FileKind Lstat(string path, out stat status)
    {
        stat result;
        fixed (byte* bytes = NativeStrings.Utf8(path))
        {
            if (LibC.lstat(bytes, &result) == -1)
            {
                status = default;
                return FileKind.Missing;
            }
        }

        status = result;
        return (result.st_mode & LibC.S_IFMT) switch
        {
            var t when t == LibC.S_IFDIR => FileKind.Directory,
            var t when t == LibC.S_IFLNK => FileKind.Symlink,
            var t when t == LibC.S_IFREG => FileKind.File,
            _ => FileKind.Other,
        };
    }

    private enum FileKind
    {
        Missing,
        Directory,
        File,
        Symlink,
        Other,
    }
}

/// <summary>What unpacking a layer found: the digest of its uncompressed tar, and the device nodes it left out.</summary>
internal sealed record LayerUnpackResult(Digest DiffId, int SkippedDevices);
