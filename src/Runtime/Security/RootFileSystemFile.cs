using System.Text;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// Reads a small text file of a root filesystem as the container will see it: <c>openat2</c> with
/// <c>RESOLVE_IN_ROOT</c> (Linux 5.6) resolves every symbolic link and <c>..</c> as if the root filesystem were
/// <c>/</c>, so an image whose <c>/etc/passwd</c> links to <c>/etc/passwd.real</c> gets its own file, never the
/// host's.
/// </summary>
internal static class RootFileSystemFile
{
    // linux/openat2.h
    private const ulong ResolveInRoot = 0x10;

    // /etc/passwd of a large directory is a few megabytes; anything bigger is not a passwd file.
    private const long MaximumBytes = 64L << 20;

    /// <summary>The file's text, or null when it does not exist.</summary>
    /// <exception cref="IOException">It cannot be opened or read, is not a regular file, or is too large.</exception>
    public static unsafe string? ReadText(string rootFileSystem, string relativePath)
    {
        var display = Path.Join(rootFileSystem, relativePath);
        using var root = Open(rootFileSystem, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC)
            ?? throw new IOException($"The root filesystem {rootFileSystem} does not exist.");

        var how = new OpenHow
        {
            // O_NONBLOCK: a FIFO planted at the path must not hang the host; the type check below then refuses it.
            Flags = (ulong)(LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOCTTY | LibC.O_NONBLOCK),
            Mode = 0,
            Resolve = ResolveInRoot,
        };
        var pathBytes = NativeStrings.Utf8(relativePath);
        int fd;
        fixed (byte* path = pathBytes)
        {
            fd = (int)LibC.syscall(SecuritySyscalls.Openat2, (int)root.DangerousGetHandle(), path, &how, sizeof(OpenHow));
        }

        if (fd == -1)
        {
            var errno = LibC.errno;
            return errno == LibC.ENOENT ? null : throw new IOException($"Cannot open {display}: {new PrivilegeException("openat2", errno).Message}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        stat status;
        if (LibC.fstat(fd, &status) == -1)
            throw new IOException($"Cannot stat {display}: {new PrivilegeException("fstat", LibC.errno).Message}");

        if ((status.st_mode & LibC.S_IFMT) != LibC.S_IFREG)
            throw new IOException($"{display} is not a regular file.");

        if ((long)status.st_size > MaximumBytes)
            throw new IOException($"{display} is larger than {MaximumBytes >> 20} MiB.");

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static unsafe SafeFileHandle? Open(string path, int flags)
    {
        var pathBytes = NativeStrings.Utf8(path);
        int fd;
        fixed (byte* bytes = pathBytes)
        {
            fd = LibC.open(bytes, flags, 0);
        }

        if (fd == -1)
        {
            var errno = LibC.errno;
            return errno == LibC.ENOENT ? null : throw new IOException($"Cannot open {path}: {new PrivilegeException("open", errno).Message}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The kernel's <c>struct open_how</c>.</summary>
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }
}
