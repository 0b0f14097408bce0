using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Images;

/// <summary>
/// The file system calls unpacking needs, none of which follows a symbolic link in the last component of its path
/// (<c>O_NOFOLLOW</c>, <c>lchown</c>, <c>lsetxattr</c>, <c>AT_SYMLINK_NOFOLLOW</c>). Each throws an
/// <see cref="IOException"/> naming the call, the path and the error.
/// </summary>
internal static partial class LayerSyscalls
{
    private const string Libc = "libc.so.6";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint SIfChr = 0x2000;
    private const uint SIfIfo = 0x1000;

    /// <summary>Creates a new file (never opens an existing one, never through a link) for writing.</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle CreateFile(string path)
    {
        var fd = Check(Open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x180), "open", path);
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Opens an existing directory, refusing a symbolic link.</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenDirectory(string path)
    {
        var fd = Check(Open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0), "open", path);
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    public static void MakeDirectory(string path, uint mode) => Check(Mkdir(path, mode), "mkdir", path);

    public static void MakeSymlink(string target, string path) => Check(Symlink(target, path), "symlink", path);

    public static void MakeHardLink(string existing, string path) => Check(Linkat(AtFdCwd, existing, AtFdCwd, path, 0), "link", path);

    /// <summary>An overlayfs whiteout: a character device with device number 0:0.</summary>
    public static void MakeWhiteout(string path) => Check(Mknod(path, SIfChr, 0), "mknod", path);

    public static void MakeFifo(string path, uint mode) => Check(Mknod(path, SIfIfo | (mode & 0xFFF), 0), "mknod", path);

    public static void Unlink(string path) => Check(UnlinkNative(path), "unlink", path);

    public static void ChangeOwner(SafeHandle file, int uid, int gid, string path) =>
        Check(Fchown((int)file.DangerousGetHandle(), uid, gid), "fchown", path);

    public static void ChangeMode(SafeHandle file, uint mode, string path) =>
        Check(Fchmod((int)file.DangerousGetHandle(), mode), "fchmod", path);

    /// <summary>The owner of the link itself.</summary>
    public static void ChangeLinkOwner(string path, int uid, int gid) => Check(Lchown(path, uid, gid), "lchown", path);

    /// <summary>Sets the access and modification times of the entry itself (a link's own times).</summary>
    public static unsafe void SetTimes(string path, DateTimeOffset modified)
    {
        var seconds = modified.ToUnixTimeSeconds();
        var times = stackalloc long[4] { seconds, 0, seconds, 0 };
        Check(Utimensat(AtFdCwd, path, times, AtSymlinkNoFollow), "utimensat", path);
    }

    /// <summary>An extended attribute of the entry itself.</summary>
    public static unsafe void SetAttribute(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* bytes = value)
            Check(Lsetxattr(path, name, bytes, (nuint)value.Length, 0), "lsetxattr", $"{path} ({name})");
    }

    private static int Check(int result, string call, string path)
    {
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call}(\"{path}\") failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        return result;
    }

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkdir(string path, uint mode);

    [LibraryImport(Libc, EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Symlink(string target, string path);

    [LibraryImport(Libc, EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Linkat(int oldDirectory, string oldPath, int newDirectory, string newPath, int flags);

    [LibraryImport(Libc, EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mknod(string path, uint mode, ulong device);

    [LibraryImport(Libc, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkNative(string path);

    [LibraryImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    private static partial int Fchown(int fd, int uid, int gid);

    [LibraryImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    private static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Libc, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, int uid, int gid);

    [LibraryImport(Libc, EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Utimensat(int directory, string path, long* times, int flags);

    [LibraryImport(Libc, EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Lsetxattr(string path, string name, byte* value, nuint size, int flags);
}
