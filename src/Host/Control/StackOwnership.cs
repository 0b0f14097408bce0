using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Host.Control;

/// <summary>
/// The exclusive right to run a stack: an <c>flock</c> on the stack's directory, held while the stack runs. The
/// kernel drops the lock when its holder dies however it dies (SIGKILL included), so a directory that can be locked
/// is not in use, and whatever is in it was left by a process that is gone.
/// </summary>
/// <remarks>
/// The owner removes the directory before it lets the lock go. Another process may have opened the directory just
/// before; it gets the lock of a directory that is no longer there, notices (its descriptor no longer names the
/// path), and tries again with a new one.
/// </remarks>
internal sealed class StackOwnership : IDisposable
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int MaxAttempts = 10;

    private readonly SafeFileHandle _lock;
    private int _released;

    private StackOwnership(StackDirectory directory, SafeFileHandle handle, bool foundAbandoned, StackRecord? abandoned)
    {
        Directory = directory;
        _lock = handle;
        FoundAbandoned = foundAbandoned;
        Abandoned = abandoned;
    }

    public StackDirectory Directory { get; }

    /// <summary>An earlier owner ended without removing its files (SIGKILL, a crash); they are removed now.</summary>
    public bool FoundAbandoned { get; }

    /// <summary>The earlier owner's record, when <see cref="FoundAbandoned"/> and it could be read.</summary>
    public StackRecord? Abandoned { get; }

    /// <summary>
    /// Takes the stack's directory: creates it (0700) and locks it. What an earlier owner that is gone left in it
    /// is removed (<see cref="Abandoned"/> says whose it was).
    /// </summary>
    /// <exception cref="StackAlreadyRunningException">Another process runs the stack.</exception>
    /// <exception cref="IOException">The directory cannot be created or locked.</exception>
    public static StackOwnership Claim(StackDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Berth stacks run on Linux only.");
        }

        for (var attempt = 1; ; attempt++)
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(directory.Path)!);
            System.IO.Directory.CreateDirectory(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var handle = OpenDirectory(directory.Path);
            if (handle is null)
            {
                // Removed between the mkdir and the open by an owner that just ended.
                continue;
            }

            if (flock(handle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                if (errno == LibC.EWOULDBLOCK)
                {
                    throw new StackAlreadyRunningException(directory.Stack, StackRecord.ReadFrom(directory.RecordPath));
                }

                throw new IOException($"Cannot lock {directory.Path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
            }

            if (!NamesPath(handle, directory.Path))
            {
                handle.Dispose();
                if (attempt == MaxAttempts)
                {
                    throw new IOException($"{directory.Path} was removed and created again {MaxAttempts} times while it was being locked.");
                }

                continue;
            }

            // Ours now. Whatever is here is an earlier owner's, which is gone.
            File.SetUnixFileMode(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var found = System.IO.Directory.EnumerateFileSystemEntries(directory.Path).Any();
            var abandoned = StackRecord.ReadFrom(directory.RecordPath);
            RemoveContents(directory);
            return new StackOwnership(directory, handle, found, abandoned);
        }
    }

    /// <summary>Removes the directory and what is in it, then lets the lock go. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            RemoveContents(Directory);
            System.IO.Directory.Delete(Directory.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next owner, who removes it under the lock.
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private static void RemoveContents(StackDirectory directory)
    {
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(directory.Path))
        {
            File.Delete(entry);
        }
    }

    private static SafeFileHandle? OpenDirectory(string path)
    {
        var fd = open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == LibC.ENOENT ? null : throw new IOException($"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    /// <summary>
    /// Whether the open directory is still the one at <paramref name="path"/>, not one removed since: the kernel names
    /// an open file by its path (symbolic links resolved), and a removed directory's name ends in " (deleted)".
    /// </summary>
    private static bool NamesPath(SafeFileHandle handle, string path)
    {
        using var again = OpenDirectory(path);
        return again is not null && LinkOf(handle) == LinkOf(again);
    }

    private static string? LinkOf(SafeFileHandle handle) => new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle().ToInt32()}").LinkTarget;

    // open(2) with flags only: the mode is read only with O_CREAT or O_TMPFILE.
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int flock(int fd, int operation);
}
