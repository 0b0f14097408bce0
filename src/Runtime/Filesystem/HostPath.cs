namespace Berth.Runtime.Filesystem;

/// <summary>Host paths with their symlinks resolved.</summary>
public static class HostPath
{
    /// <summary>
    /// <c>realpath(3)</c>, except that a missing tail is kept as written instead of failing: every symlink on the way
    /// is followed, and the result names the same file without any.
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathRooted(path))
            throw new ArgumentException($"Not an absolute path: \"{path}\".", nameof(path));
        return ContainerPath.Resolve("/", path);
    }
}
