using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// <see cref="ContainerPath"/> on real directories and symlinks: a path resolves inside the root the way the kernel
/// will resolve it inside the container, and never leads out of the root.
/// </summary>
public sealed class FilesystemContainerPathTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-tests-paths-" + Guid.NewGuid().ToString("N")[..12]);

    public FilesystemContainerPathTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "image", "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "image", "var", "lib"));
        File.CreateSymbolicLink(Path.Combine(_root, "image", "climb"), "../../../../..");
        File.CreateSymbolicLink(Path.Combine(_root, "image", "absolute"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "image", "var", "run"), "../run");
        File.CreateSymbolicLink(Path.Combine(_root, "image", "loop"), "loop");
    }

    private string Image => Path.Combine(_root, "image");

    [Theory]
    [InlineData("/", "")]
    [InlineData("/etc/hosts", "/etc/hosts")]
    [InlineData("/climb/etc", "/etc")]
    [InlineData("/climb/../../etc", "/etc")]
    [InlineData("/absolute/passwd", "/etc/passwd")]
    [InlineData("/var/run/secrets", "/run/secrets")]
    [InlineData("/var/lib/../../tmp", "/tmp")]
    [InlineData("/missing/../etc/./x", "/etc/x")]
    public void ResolvesInsideTheRoot(string path, string expected) =>
        Assert.Equal(Image + expected, ContainerPath.Resolve(Image, path));

    [Fact]
    public void ALinkLoopFails() =>
        Assert.Throws<IOException>(() => ContainerPath.Resolve(Image, "/loop/x"));

    [Fact]
    public void TheTopmostLayerDecidesAndAWhiteoutHidesTheLayersBelow()
    {
        var top = Path.Combine(_root, "top");
        Directory.CreateDirectory(Path.Combine(top, "var"));
        File.CreateSymbolicLink(Path.Combine(top, "var", "lib"), "/srv");
        Assert.Equal("/srv/data", ContainerPath.ResolveInLayers([top, Image], "/var/lib/data"));
        Assert.Equal("/run/x", ContainerPath.ResolveInLayers([top, Image], "/var/run/x"));
        Assert.Equal("/etc/x", ContainerPath.ResolveInLayers([top, Image], "/absolute/x"));
    }

    [Fact]
    public void HostPathResolvesTheHostsLinks()
    {
        // As the kernel does: ".." applies to where the link led, not to the link's own directory.
        Assert.Equal("/etc", HostPath.Resolve(Image + "/absolute/../etc"));
        Assert.Equal("/etc", HostPath.Resolve(Image + "/absolute"));
        Assert.Equal(Image + "/run/x", HostPath.Resolve(Image + "/var/run/x"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
