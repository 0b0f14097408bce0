using Tmds.Linux;

namespace Berth.Runtime.Filesystem;

/// <summary>Creates the directories, files and mount points of a root being prepared, with explicit modes.</summary>
internal static class RootfsEntries
{
    /// <summary>rwxr-xr-x (octal 755).</summary>
    public const ushort DirectoryMode = 0x1ED;

    /// <summary>rw-r--r-- (octal 644).</summary>
    public const ushort FileMode = 0x1A4;

    /// <summary>
    /// An empty directory or file to mount on, with its parents, unless something is there already (a symlink
    /// counts: <see cref="ContainerPath"/> resolved the path through the links it knows about).
    /// </summary>
    public static void CreateMountPoint(string hostPath, bool directory)
    {
        if (Exists(hostPath))
            return;
        CreateDirectory(Path.GetDirectoryName(hostPath)!);
        if (directory)
            CreateDirectory(hostPath);
        else
            WriteFile(hostPath, "");
    }

    /// <summary><c>mkdir -p</c> with every created directory 0755, whatever the umask.</summary>
    public static void CreateDirectory(string hostPath)
    {
        if (Directory.Exists(hostPath))
            return;
        var parent = Path.GetDirectoryName(hostPath);
        if (parent is not null)
            CreateDirectory(parent);
        Directory.CreateDirectory(hostPath);
        SetMode(hostPath, DirectoryMode);
    }

    /// <summary>Writes (or rewrites) a file with mode 0644.</summary>
    public static void WriteFile(string hostPath, string content)
    {
        File.WriteAllText(hostPath, content);
        SetMode(hostPath, FileMode);
    }

    /// <summary><c>chmod</c>: an explicit mode, whatever the umask made of it.</summary>
    public static unsafe void SetMode(string hostPath, ushort mode)
    {
        fixed (byte* path = NativeStrings.Utf8(hostPath))
        {
            if (LibC.chmod(path, mode) == -1)
                throw new IOException($"chmod(\"{hostPath}\", {Convert.ToString(mode, 8)}) failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(LibC.errno)}.");
        }
    }

    /// <summary>Whether anything, a dangling symlink included, is at <paramref name="hostPath"/>.</summary>
    public static unsafe bool Exists(string hostPath)
    {
        stat status;
        fixed (byte* path = NativeStrings.Utf8(hostPath))
            return LibC.lstat(path, &status) == 0;
    }
}
