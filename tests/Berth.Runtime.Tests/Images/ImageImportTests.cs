using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// Images made by the usual tools: a busybox image built with umoci, imported from its OCI layout and, after a trip
/// through skopeo, from an OCI archive and a docker-archive; each runs as a container.
/// </summary>
public sealed class ImageImportTests : IDisposable
{
    private readonly ImageScratch _images = new("berth-import-");

    public void Dispose() => _images.Dispose();

    [RequiresToolFact("umoci", "umoci")]
    public async Task AnImageMadeByUmociRunsWithItsConfig()
    {
        var layout = CreateBusyboxLayout();

        var image = await OciLayoutImporter.ImportAsync(_images.Store, layout, "bb", "oci:bb");

        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
        Assert.Equal(["echo \"$GREETING from $(pwd)\""], image.RunConfig.Cmd);
        Assert.Contains("GREETING=hello", image.RunConfig.Env ?? []);
        Assert.Equal("/etc", image.RunConfig.WorkingDir);
        Assert.Equal("1000", image.RunConfig.User);
        Assert.True(image.RunConfig.ExposedPorts?.ContainsKey("8080/tcp"));
        var (exit, output) = await _images.RunShellAsync(image, "cat /etc/os-release; id -u");
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("NAME=busybox\n65534\n", output);
    }

    [RequiresToolFact("skopeo", "skopeo")]
    public async Task AnOciArchiveAndADockerArchiveFromSkopeoImportAsTheSameImage()
    {
        var layout = CreateBusyboxLayout();
        var skopeo = RequiredTool.Find("skopeo", "skopeo");
        var ociArchive = Path.Combine(_images.Directory, "bb-oci.tar");
        var dockerArchive = Path.Combine(_images.Directory, "bb-docker.tar");
        TestImages.Run(skopeo, "copy", "--quiet", $"oci:{layout}:bb", $"oci-archive:{ociArchive}");
        TestImages.Run(skopeo, "copy", "--quiet", $"oci:{layout}:bb", $"docker-archive:{dockerArchive}:berth/bb:1");
        var fromLayout = await OciLayoutImporter.ImportAsync(_images.Store, layout, "bb", "layout");

        var fromOci = await ImageArchiveImporter.ImportAsync(_images.Store, ociArchive, "oci-archive");
        var fromDocker = await ImageArchiveImporter.ImportAsync(_images.Store, dockerArchive, "docker-archive");

        Assert.Equal(fromLayout.ManifestDigest, fromOci.ManifestDigest);
        Assert.Equal(fromLayout.LayerDirectories, fromOci.LayerDirectories);
        Assert.Equal(fromLayout.LayerDirectories, fromDocker.LayerDirectories);   // same content: the same unpacked layer
        Assert.Equal(fromLayout.RunConfig.Cmd, fromDocker.RunConfig.Cmd);
        var (exit, output) = await _images.RunShellAsync(fromDocker, "cat /etc/os-release");
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("NAME=busybox\n", output);
    }

    [Fact]
    public async Task AFileThatIsNoImageArchiveIsRefused()
    {
        var archive = Path.Combine(_images.Directory, "not-an-image.tar");
        await File.WriteAllBytesAsync(archive, new TarBuilder().File("hello.txt", "hi").Build());

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => ImageArchiveImporter.ImportAsync(_images.Store, archive, "x"));

        Assert.Contains("neither an OCI archive (index.json) nor a docker save archive (manifest.json)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALayoutWithoutTheTagNamesTheTagsItHas()
    {
        var layout = Path.Combine(_images.Directory, "tagged");
        OciLayoutWriter.Write(layout, [new TarBuilder().File("f", "x").Build()], tag: "1.0");

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => OciLayoutImporter.ImportAsync(_images.Store, layout, "2.0", "x"));

        Assert.Contains("has no image tagged \"2.0\"; its tags: 1.0", error.Message, StringComparison.Ordinal);
    }

    private string CreateBusyboxLayout()
    {
        var layout = Path.Combine(_images.Directory, "layout");
        TestImages.CreateWithUmoci(
            layout,
            _images.Directory,
            "--config.entrypoint=/bin/sh",
            "--config.entrypoint=-c",
            "--config.cmd=echo \"$GREETING from $(pwd)\"",
            "--config.env=GREETING=hello",
            "--config.workingdir=/etc",
            "--config.user=1000",
            "--config.exposedports=8080/tcp");
        return layout;
    }
}
