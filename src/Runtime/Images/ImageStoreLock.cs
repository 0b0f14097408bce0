using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Images;

/// <summary>
/// The store's reader-writer lock: an <c>flock</c> on <c>STATE/images/lock</c>. Whatever stores or takes from the
/// store (a pull, an import, a container recording the layers its root is made of) holds it shared, so any number of
/// them run at once, across processes; prune holds it exclusive, so it never sweeps a blob or layer that one of them
/// has written or is about to use and no name or container record reaches yet. Released on dispose, or by the kernel
/// when the process dies.
/// </summary>
internal sealed partial class ImageStoreLock : IDisposable
{
    public const string FileName = "lock";

    private const string Libc = "libc.so.6";
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    private readonly SafeFileHandle _handle;

    private ImageStoreLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Waits for the shared lock of the store in <paramref name="storeDirectory"/> (while a prune runs).</summary>
    public static async Task<ImageStoreLock> SharedAsync(string storeDirectory, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(storeDirectory, LockShared) is { } taken)
                return taken;
            await Task.Delay(s_poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The shared lock, waiting synchronously (for the runtime's synchronous root preparation).</summary>
    public static ImageStoreLock Shared(string storeDirectory) => Wait(storeDirectory, LockShared);

    /// <summary>The exclusive lock, or null at once when a pull, import or start holds it shared.</summary>
    public static ImageStoreLock? TryExclusive(string storeDirectory) => TryTake(storeDirectory, LockExclusive);

    /// <summary>The exclusive lock, waiting for the holders of the shared one to finish.</summary>
    public static ImageStoreLock Exclusive(string storeDirectory) => Wait(storeDirectory, LockExclusive);

    public void Dispose() => _handle.Dispose();

    private static ImageStoreLock Wait(string storeDirectory, int operation)
    {
        while (true)
        {
            if (TryTake(storeDirectory, operation) is { } taken)
                return taken;
            Thread.Sleep(s_poll);
        }
    }

    private static ImageStoreLock? TryTake(string storeDirectory, int operation)
    {
        Directory.CreateDirectory(storeDirectory);
        var path = Path.Combine(storeDirectory, FileName);
        var fd = Open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180);
        if (fd < 0)
            throw new IOException($"Cannot open the image store's lock {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Flock(fd, operation | LockNonBlocking) == 0)
            return new ImageStoreLock(handle);
        var errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        return errno == LibC.EWOULDBLOCK
            ? null
            : throw new IOException($"Cannot lock the image store ({path}): {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
