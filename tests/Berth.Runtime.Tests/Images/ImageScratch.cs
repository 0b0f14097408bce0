using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// What a test of images that run needs: a scratch runtime, an image store in its state directory and a scratch
/// directory for layouts, archives and registries; all removed on dispose.
/// </summary>
internal sealed class ImageScratch : IDisposable
{
    public ImageScratch(string prefix)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        Store = new ImageStore(Runtime.StateDirectory);
    }

    public ScratchContainerRuntime Runtime { get; } = new();

    public ImageStore Store { get; }

    /// <summary>The scratch directory.</summary>
    public string Directory { get; }

    /// <summary>A container of <paramref name="image"/> running <c>/bin/sh -c <paramref name="script"/></c>.</summary>
    public static ContainerSpec ShellSpec(StoredImage image, string script) => new()
    {
        Id = ScratchContainerRuntime.NewId(),
        Executable = "/bin/sh",
        Args = ["-c", script],
        Root = image.Root,
    };

    /// <summary>Runs <see cref="ShellSpec"/> to its end: its exit and its standard output.</summary>
    public Task<(ContainerExit Exit, string Output)> RunShellAsync(StoredImage image, string script) => Runtime.RunAsync(ShellSpec(image, script));

    public void Dispose()
    {
        Runtime.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
