using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Writes secrets into a tmpfs mounted at the container's <c>/run/secrets</c>: memory only, inside the container's
/// mount namespace only, each file 0400 and owned by the container's user, and the tmpfs read-only once written
/// (compose's secrets are read-only too).
/// </summary>
public static class SecretsMount
{
    private const ushort SecretMode = 0x100; // 0400

    /// <summary>Mounts the tmpfs at <paramref name="directory"/> (a host path, before <c>pivot_root</c>) and writes <paramref name="secrets"/> there.</summary>
    public static void Mount(string directory, IReadOnlyList<SecretFile> secrets, ContainerUser user)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(user);

        Mounts.MountTmpfs(directory, mode: 0x1ED, flags: MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        foreach (var secret in secrets)
        {
            secret.Validate();
            Write(Path.Combine(directory, secret.Name), secret.Content, user);
        }

        Mounts.RemountReadOnly(directory);
    }

    private static unsafe void Write(string path, byte[] content, ContainerUser user)
    {
        int fd;
        fixed (byte* pathBytes = NativeStrings.Utf8(path))
            fd = LibC.open(pathBytes, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, SecretMode);
        if (fd == -1)
            throw Failure("open", path);

        try
        {
            fixed (byte* bytes = content)
            {
                var written = 0;
                while (written < content.Length)
                {
                    var count = (long)LibC.write(fd, bytes + written, (size_t)(content.Length - written));
                    if (count == -1)
                    {
                        if (LibC.errno == LibC.EINTR)
                            continue;
                        throw Failure("write", path);
                    }

                    written += (int)count;
                }
            }

            // The mode last: open's mode went through the umask, and chown may clear mode bits.
            if (LibC.fchown(fd, user.Uid, user.Gid) == -1)
                throw Failure($"fchown({user.Uid}:{user.Gid})", path);
            if (LibC.fchmod(fd, SecretMode) == -1)
                throw Failure("fchmod(0400)", path);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static IOException Failure(string call, string path)
    {
        var errno = LibC.errno;
        return new IOException($"{call} of the secret \"{path}\" failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }
}
