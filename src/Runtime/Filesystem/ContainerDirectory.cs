namespace Berth.Runtime.Filesystem;

/// <summary>
/// Where one container's filesystem lives on the host: <c>&lt;state&gt;/containers/&lt;id&gt;/</c>. Everything
/// Berth creates or mounts for the container is below it, so <c>grep berth /proc/self/mountinfo</c> shows a leak at
/// once and removing the directory removes the container's writable layer.
/// </summary>
public sealed record ContainerDirectory
{
    /// <summary>The layout for <paramref name="containerId"/> under <paramref name="stateDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The state directory is not absolute, or the id is not a plain name.</exception>
    public ContainerDirectory(string stateDirectory, string containerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        if (!System.IO.Path.IsPathRooted(stateDirectory))
            throw new ArgumentException($"The state directory must be an absolute path: \"{stateDirectory}\".", nameof(stateDirectory));
        if (!IsValidId(containerId))
        {
            throw new ArgumentException(
                $"A container id is 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit: \"{containerId}\".",
                nameof(containerId));
        }

        StateDirectory = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(stateDirectory));
        ContainerId = containerId;
    }

    /// <summary>Berth's state directory, e.g. <c>/run/berth</c>.</summary>
    public string StateDirectory { get; }

    /// <summary>The container's id, a plain file name.</summary>
    public string ContainerId { get; }

    /// <summary><c>&lt;state&gt;/containers/&lt;id&gt;</c>.</summary>
    public string Path => System.IO.Path.Combine(StateDirectory, "containers", ContainerId);

    /// <summary>
    /// Where the container's root is assembled: the overlay's mount point, or the .NET template's root directory
    /// itself.
    /// </summary>
    public string Rootfs => System.IO.Path.Combine(Path, "rootfs");

    /// <summary>
    /// The overlay's top, read-only layer: empty mount points (<c>/proc</c>, <c>/dev</c>, volume targets...) the
    /// image may lack, like Docker's <c>-init</c> layer. It also makes a read-only root an overlay of two lower
    /// directories, which the kernel needs when there is no upper one.
    /// </summary>
    public string InitLayer => System.IO.Path.Combine(Path, "init");

    /// <summary>The overlay's writable layer: everything the container writes to its root.</summary>
    public string Upper => System.IO.Path.Combine(Path, "upper");

    /// <summary>overlayfs's scratch directory; must be on the same filesystem as <see cref="Upper"/>.</summary>
    public string Work => System.IO.Path.Combine(Path, "work");

    /// <summary>Generated <c>hostname</c>, <c>hosts</c> and <c>resolv.conf</c>, bound over an image's own.</summary>
    public string Etc => System.IO.Path.Combine(Path, "etc");

    /// <summary>The name of the file in <see cref="Path"/> listing a directory root's layers, one host path a line: what the image store's garbage collection keeps.</summary>
    public const string LayersFileName = "layers";

    /// <summary>The record of the host directories the container's root is made of (directory roots only).</summary>
    public string LayersFile => System.IO.Path.Combine(Path, LayersFileName);

    private static bool IsValidId(string id) =>
        id.Length <= 128
        && char.IsAsciiLetterOrDigit(id[0])
        && id.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") < 0;
}
