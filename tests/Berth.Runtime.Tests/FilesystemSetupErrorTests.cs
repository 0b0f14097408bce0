using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// A setup that cannot be done fails with a message naming the step and the reason, and leaves nothing mounted on the
/// host.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemSetupErrorTests : IDisposable
{
    private readonly FilesystemScratch _scratch = new();

    [Fact]
    public void AMountPointMissingFromAReadOnlyRootIsAClearError()
    {
        var plan = new ContainerFilesystemPlan
        {
            ContainerId = _scratch.Id,
            Root = DirectoryRootFilesystem.Of(_scratch.CreateDirectory("empty-image")),
            ReadOnlyRoot = true,
            MountProc = false,
        };
        ContainerFilesystem.Prepare(plan);
        Directory.Delete(Path.Combine(plan.ContainerDirectory.InitLayer, "sys"));

        var report = _scratch.RunSetup(plan, new { }, pidNamespace: false);

        var error = report.GetProperty("setupError").GetString();
        Assert.Equal(JsonValueKind.Null, report.GetProperty("view").ValueKind);
        Assert.StartsWith("Container filesystem: mounting /sys failed: The mount point /sys is missing from the root and cannot be created", error, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverlayLayerPathTheKernelWouldMisreadIsRefused()
    {
        var image = _scratch.CreateDirectory("image:with-colon");
        var plan = new ContainerFilesystemPlan { ContainerId = _scratch.Id, Root = DirectoryRootFilesystem.Of(image), MountProc = false };
        ContainerFilesystem.Prepare(plan);

        var report = _scratch.RunSetup(plan, new { }, pidNamespace: false);

        Assert.Equal(
            $"Container filesystem: mounting the root filesystem at {plan.ContainerDirectory.Rootfs} failed: An overlay layer path may not hold ':', ',', '\\' or a newline: \"{image}\". (Parameter 'path')",
            report.GetProperty("setupError").GetString());
    }

    public void Dispose() => _scratch.Dispose();
}
