using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Containers;

/// <summary>A container's state directory, <c>STATE/containers/ID</c>: what exists is recorded here and removed with it.</summary>
internal static class ContainerStateDirectory
{
    public static string Create(string stateDirectory, string id)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Berth containers run on Linux only.");
        }

        var containers = Path.Combine(stateDirectory, "containers");
        Directory.CreateDirectory(containers);
        var directory = Path.Combine(containers, id);

        // mkdir(2) is atomic: of two starts with one id, exactly one gets the directory. Mode 0700: the init
        // socket and, later, secrets staging are for root's eyes only.
        var path = NativeStrings.Utf8(directory);
        unsafe
        {
            fixed (byte* p = path)
            {
                if (Tmds.Linux.LibC.mkdir(p, 0b111_000_000) != 0)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    throw new ContainerStartException(
                        id,
                        "state",
                        errno == Tmds.Linux.LibC.EEXIST
                            ? $"{directory} exists: a container with this id is running or was not cleaned up"
                            : $"cannot create {directory}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
                }
            }
        }

        return directory;
    }

    /// <summary>
    /// Removes the directory and whatever is still mounted below it on the host (the root's writable layer and
    /// mount points); the container's own mounts went with its mount namespace.
    /// </summary>
    public static void Remove(string stateDirectory, string id) =>
        ContainerFilesystem.Remove(new Filesystem.ContainerDirectory(stateDirectory, id));
}
