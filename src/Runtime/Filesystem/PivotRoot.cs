using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Makes a directory the root of the calling process's mount namespace and takes the old root away entirely, so
/// nothing of the host stays reachable (unlike <c>chroot</c>, which a root process can leave).
/// </summary>
public static class PivotRoot
{
    /// <summary>
    /// <c>pivot_root(".", ".")</c> from inside <paramref name="newRoot"/>, then a detached unmount of the old root
    /// that the call stacked on top of it, then <c>chdir("/")</c>. This form (pivot_root(2), "NOTES"; runc since
    /// 2019) needs no put_old directory, so it works on a read-only root. <paramref name="newRoot"/> must be a mount
    /// point, and neither it nor the current root may be a shared mount (<see cref="Mounts.MakePrivate"/> first).
    /// Every thread and process of this mount namespace whose root or working directory was the old root moves
    /// along (pivot_root(2)).
    /// </summary>
    public static unsafe void Into(string newRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(newRoot);
        var oldRootFd = OpenDirectory("/");
        try
        {
            var newRootFd = OpenDirectory(newRoot);
            try
            {
                if (LibC.fchdir(newRootFd) == -1)
                    throw new MountException($"fchdir(new root {MountException.Quote(newRoot)})", LibC.errno);
            }
            finally
            {
                LibC.close(newRootFd);
            }

            fixed (byte* dot = ".\0"u8)
            {
                if ((long)LibC.syscall(PivotRootSyscall, dot, dot) == -1)
                    throw new MountException($"pivot_root(\".\", \".\") in {MountException.Quote(newRoot)}", LibC.errno);
            }

            // The old root now sits on top of the new one at "/". runc: "Currently our '.' is oldroot (according to
            // the current kernel code). However, purely for safety, we will fchdir(oldroot) since there isn't really
            // any guarantee from the kernel what /proc/self/cwd will be after a pivot_root(2)."
            if (LibC.fchdir(oldRootFd) == -1)
                throw new MountException("fchdir(old root)", LibC.errno);
        }
        finally
        {
            LibC.close(oldRootFd);
        }

        // The tree was made private before, so this unmount cannot propagate to the host's copy of these mounts.
        Mounts.Unmount(".", detach: true);
        fixed (byte* root = "/\0"u8)
        {
            if (LibC.chdir(root) == -1)
                throw new MountException("chdir(\"/\") after pivot_root", LibC.errno);
        }
    }

    /// <summary><c>SYS_pivot_root</c>: Tmds.LibC has no wrapper or number for it.</summary>
    private static int PivotRootSyscall => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 155,
        Architecture.Arm64 => 41,
        var other => throw new PlatformNotSupportedException($"pivot_root's system call number is not known for {other}."),
    };

    private static unsafe int OpenDirectory(string path)
    {
        fixed (byte* pathBytes = NativeStrings.Utf8(path))
        {
            var fd = LibC.open(pathBytes, LibC.O_DIRECTORY | LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
            if (fd == -1)
                throw new MountException($"open({MountException.Quote(path)}, O_DIRECTORY)", LibC.errno);
            return fd;
        }
    }
}
