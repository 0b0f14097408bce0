using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// The mounts the calling thread sees, by mount point. Read from <c>/proc/thread-self/mountinfo</c>: a thread that
/// did <c>unshare(CLONE_NEWNS)</c> has a mount namespace of its own, and <c>/proc/self</c> would show the main
/// thread's. Lines are parsed by the cgroups module's <see cref="MountInfoEntry"/> (octal escapes included).
/// </summary>
public static class MountTable
{
    /// <summary>Every mount point, oldest first; paths are as seen from this thread's root.</summary>
    public static IReadOnlyList<string> MountPoints() =>
        MountInfoEntry.ParseAll(File.ReadAllText("/proc/thread-self/mountinfo")).Select(entry => entry.MountPoint).ToArray();

    /// <summary>The mount points at <paramref name="directory"/> or below it, oldest first.</summary>
    public static IReadOnlyList<string> MountPointsAtOrBelow(string directory)
    {
        var root = Trim(directory);
        return MountPoints().Where(point => IsAtOrBelow(point, root)).ToArray();
    }

    /// <summary>The mount points strictly below <paramref name="directory"/>, oldest first.</summary>
    public static IReadOnlyList<string> MountPointsBelow(string directory)
    {
        var root = Trim(directory);
        return MountPoints().Where(point => point != root && IsAtOrBelow(point, root)).ToArray();
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or inside it, by path components.</summary>
    public static bool IsAtOrBelow(string path, string directory)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = Trim(directory);
        return root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }

    private static string Trim(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return directory.Length > 1 ? directory.TrimEnd('/') : directory;
    }
}
