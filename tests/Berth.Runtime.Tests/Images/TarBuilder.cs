using System.Formats.Tar;
using System.Text;

namespace Berth.Runtime.Tests.Images;

/// <summary>Writes layer tars entry by entry, hostile ones included (names are written exactly as given).</summary>
internal sealed class TarBuilder
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED;
    private const UnixFileMode FileMode = (UnixFileMode)0x1A4;

    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public TarBuilder() => _writer = new TarWriter(_stream, TarEntryFormat.Pax, leaveOpen: true);

    public TarBuilder Directory(string name, UnixFileMode mode = DirectoryMode, int uid = 0, int gid = 0) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, Uid = uid, Gid = gid });

    public TarBuilder File(string name, string content, UnixFileMode mode = FileMode, int uid = 0, int gid = 0) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, Uid = uid, Gid = gid, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    public TarBuilder Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF });

    public TarBuilder HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, Mode = FileMode });

    public TarBuilder CharacterDevice(string name, int major, int minor) =>
        Add(new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, Mode = FileMode });

    public TarBuilder Fifo(string name) => Add(new PaxTarEntry(TarEntryType.Fifo, name) { Mode = FileMode });

    /// <summary>Every file below <paramref name="directory"/>, as <c>tar -C DIR .</c> would (links kept as links).</summary>
    public TarBuilder Tree(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            _writer.WriteEntry(entry.FullName, Path.GetRelativePath(directory, entry.FullName));
        }

        return this;
    }

    public byte[] Build()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    private TarBuilder Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }
}
