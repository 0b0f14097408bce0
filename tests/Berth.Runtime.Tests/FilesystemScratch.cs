using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// One filesystem test's own container id, container directory and host temp directory (named <c>berth-tests-*</c>,
/// so a leak shows in <c>grep berth /proc/self/mountinfo</c>). Disposing removes the container's directory with
/// <see cref="ContainerFilesystem.Remove"/>, deletes the temp directory, and fails the test if the host's mount
/// table still lists anything below either.
/// </summary>
internal sealed class FilesystemScratch : IDisposable
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public FilesystemScratch()
    {
        Id = "fstest-" + Guid.NewGuid().ToString("N")[..12];
        TempDirectory = Path.Combine(Path.GetTempPath(), "berth-tests-" + Id);
        Directory.CreateDirectory(TempDirectory);
    }

    public string Id { get; }

    public string TempDirectory { get; }

    public ContainerDirectory ContainerDirectory => new(RuntimePaths.StateDirectory, Id);

    /// <summary>A new directory in the temp directory.</summary>
    public string CreateDirectory(string name)
    {
        var path = Path.Combine(TempDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Runs the probe's <c>rootfs</c> verb: <see cref="ContainerFilesystem.Setup"/> in a child process in new mount
    /// (and PID) namespaces, then <paramref name="inspection"/> from inside; returns the report.
    /// </summary>
    public JsonElement RunSetup(ContainerFilesystemPlan plan, object inspection, string[]? app = null, bool pidNamespace = true)
    {
        var request = WriteRequest(plan, inspection, app, pidNamespace, hold: false);
        var report = ProbeProcess.Run("rootfs", request);
        AssertNoMountsOnHost();
        return report;
    }

    /// <summary>Writes a <c>rootfs</c> request file; returns its path.</summary>
    public string WriteRequest(ContainerFilesystemPlan plan, object inspection, string[]? app, bool pidNamespace, bool hold)
    {
        var path = Path.Combine(TempDirectory, "request.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { plan = plan.ToJson(), pidNamespace, hold, inspection, app }, s_options));
        return path;
    }

    /// <summary>The host's mount namespace shows nothing below the container's directory or the temp directory.</summary>
    public void AssertNoMountsOnHost()
    {
        Assert.Empty(MountTable.MountPointsAtOrBelow(ContainerDirectory.Path));
        Assert.Empty(MountTable.MountPointsAtOrBelow(TempDirectory));
    }

    public void Dispose()
    {
        ContainerFilesystem.Remove(ContainerDirectory);
        AssertNoMountsOnHost();
        Assert.False(Directory.Exists(ContainerDirectory.Path), $"{ContainerDirectory.Path} is still there after Remove.");
        if (Directory.Exists(TempDirectory))
            Directory.Delete(TempDirectory, recursive: true);
    }
}
