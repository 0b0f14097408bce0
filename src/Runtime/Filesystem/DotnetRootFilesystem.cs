namespace Berth.Runtime.Filesystem;

/// <summary>
/// A root that holds only what a .NET app needs: a generated minimal <c>/etc</c>, the host's .NET installation and
/// the system libraries it loads (read-only, at their host paths, so the ELF loader and the runtime find them where
/// they were built to look), and the app's build output read-only at <c>/app</c>. Nothing else of the host.
/// </summary>
/// <param name="AppDirectory">The service's build output on the host, mounted at <c>/app</c>.</param>
/// <param name="DotnetRoot">The .NET installation on the host (the directory holding <c>dotnet</c> and <c>shared/</c>).</param>
/// <param name="SystemPaths">
/// Host paths the runtime needs, exposed at the same path: library directories, and the ELF interpreter's path,
/// whose symlinks (<c>/lib64 -&gt; usr/lib64</c>) are recreated in the root.
/// </param>
public sealed record DotnetRootFilesystem(string AppDirectory, string DotnetRoot, IReadOnlyList<string> SystemPaths) : RootFilesystem
{
    /// <summary>Where the app is mounted in the container.</summary>
    public const string AppMountPoint = "/app";

    /// <summary>Where the root gets a symlink to the <c>dotnet</c> host, so that <c>/usr/bin/dotnet</c> works inside.</summary>
    public const string DotnetLink = "/usr/bin/dotnet";

    /// <summary>
    /// A template for <paramref name="appDirectory"/> using the .NET installation and system libraries of this host,
    /// found from the runtime running this process (<see cref="DotnetInstallation"/>, <see cref="SystemLibraries"/>).
    /// </summary>
    public static DotnetRootFilesystem ForHost(string appDirectory)
    {
        var dotnetRoot = DotnetInstallation.Locate();
        return new DotnetRootFilesystem(appDirectory, dotnetRoot, SystemLibraries.Locate(dotnetRoot));
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireDirectory(AppDirectory, "The app directory");
        RequireDirectory(DotnetRoot, "The .NET installation");
        if (!File.Exists(Path.Combine(DotnetRoot, "dotnet")))
            throw new ArgumentException($"The .NET installation has no dotnet host: \"{Path.Combine(DotnetRoot, "dotnet")}\".");
        if (SystemPaths is null)
            throw new ArgumentException("The system paths of a .NET root filesystem are missing.");
        foreach (var path in SystemPaths)
        {
            if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
                throw new ArgumentException($"A system path must be absolute: \"{path}\".");
        }
    }
}
