using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// Each <see cref="Mounts"/> helper against the real kernel, in the probe's private mount namespace (the <c>mounts</c>
/// verb), once for the class; the host's mount table must show none of it.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemMountsTests : IClassFixture<FilesystemMountsTests.Outcomes>
{
    private readonly Outcomes _outcomes;

    public FilesystemMountsTests(Outcomes outcomes) => _outcomes = outcomes;

    [Fact]
    public void TheProbeRanEveryCheck() =>
        Assert.True(_outcomes.Failure is null, _outcomes.Failure);

    [Fact]
    public void BindShowsTheSourceAndUnmountRemovesIt()
    {
        Assert.Equal("from source", _outcomes["bind.read"]);
        Assert.Equal("0", _outcomes["unmount.entries"]);
    }

    [Fact]
    public void ReadOnlyBindRefusesWritesButTheSourceTakesThem()
    {
        Assert.Equal("EROFS", _outcomes["bindReadOnly.write"]);
        Assert.Equal("written", _outcomes["bindReadOnly.sourceWrite"]);
        Assert.Contains("MS_RDONLY", _outcomes["bindReadOnly.flags"], StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyRemountKeepsNosuidNodevNoexec() =>
        Assert.StartsWith("MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC", _outcomes["remount.keepsFlags"], StringComparison.Ordinal);

    [Fact]
    public void RecursiveReadOnlyBindCoversTheMountsBelow()
    {
        Assert.Equal("EROFS", _outcomes["recursiveReadOnly.belowWrite"]);
        Assert.Equal("written", _outcomes["recursiveReadOnly.sourceBelowWrite"]);
    }

    [Fact]
    public void TmpfsTakesSizeAndMode()
    {
        Assert.Equal((1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), _outcomes["tmpfs.bytes"]);
        Assert.Equal("750", _outcomes["tmpfs.mode"]);
    }

    [Fact]
    public void OverlayWritesGoToTheUpperDirectory()
    {
        Assert.Equal("lower-file,written", _outcomes["overlay.upper"]);
        Assert.Equal("lower-file", _outcomes["overlay.lower"]);
        Assert.Equal("lower", _outcomes["overlay.lowerContent"]);
    }

    [Fact]
    public void OverlayWithoutUpperIsReadOnly()
    {
        Assert.Equal("EROFS", _outcomes["overlayReadOnly.write"]);
        Assert.Equal("lower", _outcomes["overlayReadOnly.read"]);
    }

    [Fact]
    public void KernelFilesystemsMountWithTheirFlags()
    {
        Assert.Equal("666", _outcomes["devpts.ptmxMode"]);
        Assert.StartsWith("MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC", _outcomes["sysfs.flags"], StringComparison.Ordinal);
        Assert.Equal("True", _outcomes["sysfs.hasKernel"]);
        Assert.StartsWith("MS_NOSUID|MS_NODEV|MS_NOEXEC", _outcomes["mqueue.flags"], StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsNameTheCallItsArgumentsAndTheErrno()
    {
        Assert.Equal("2", _outcomes["error.errno"]);
        Assert.Equal(
            $"mount(source: \"tmpfs\", target: \"{Path.Combine(_outcomes.WorkDirectory, "missing")}\", type: \"tmpfs\", flags: MS_NOSUID, data: \"size=4096\") failed: No such file or directory (errno 2).",
            _outcomes["error.message"]);
    }

    [Fact]
    public void TheProbeSawItsMountsAndTheHostSeesNone()
    {
        Assert.True(int.Parse(_outcomes["mountTable.count"], System.Globalization.CultureInfo.InvariantCulture) >= 10);
        Assert.Empty(MountTable.MountPointsAtOrBelow(_outcomes.WorkDirectory));
    }

    /// <summary>Runs the <c>mounts</c> verb once, in a temp directory named so that a leak shows in <c>grep berth</c>.</summary>
    public sealed class Outcomes : IDisposable
    {
        private readonly Dictionary<string, string> _values;

        public Outcomes()
        {
            WorkDirectory = Path.Combine(Path.GetTempPath(), "berth-tests-mounts-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(WorkDirectory);
            var report = ProbeProcess.Run("mounts", WorkDirectory);
            Failure = report.GetProperty("failure").GetString();
            _values = report.GetProperty("outcomes").EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString()!);
        }

        public string WorkDirectory { get; }

        public string? Failure { get; }

        public string this[string name] => _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The probe reported no \"{name}\"; failure: {Failure}");

        public void Dispose()
        {
            Assert.Empty(MountTable.MountPointsAtOrBelow(WorkDirectory));
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }
}
