using System.Text;
using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// Busybox images set up as directory roots, once each for all of <see cref="FilesystemDirectoryRootTests"/>, and
/// only when a test asks (a test skipped for want of busybox builds nothing): a writable one in a new PID
/// namespace, and a read-only one in the host's PID namespace without <c>/proc</c>.
/// </summary>
public sealed class BusyboxContainerFixture : IDisposable
{
    public const string Secret = "token";

    private readonly Lazy<Run> _writable;
    private readonly Lazy<Run> _readOnly;

    public BusyboxContainerFixture()
    {
        _writable = new Lazy<Run>(() => SetUp(readOnly: false));
        _readOnly = new Lazy<Run>(() => SetUp(readOnly: true));
    }

    internal Run Writable => _writable.Value;

    internal Run ReadOnly => _readOnly.Value;

    public void Dispose()
    {
        if (_writable.IsValueCreated)
            _writable.Value.Scratch.Dispose();
        if (_readOnly.IsValueCreated)
            _readOnly.Value.Scratch.Dispose();
    }

    private static Run SetUp(bool readOnly)
    {
        var scratch = new FilesystemScratch();
        try
        {
            var image = scratch.CreateDirectory("busybox");
            BusyboxTree.Create(image);

            // Links that would lead out of the root if followed on the host: one climbs past it, one is absolute.
            File.CreateSymbolicLink(Path.Combine(image, "escape"), "../../../../../../..");
            File.CreateSymbolicLink(Path.Combine(image, "abs"), "/etc");
            var imageFiles = Snapshot(image);

            var marker = Path.Combine(scratch.TempDirectory, "host-marker");
            File.WriteAllText(marker, "host only");
            var volume = scratch.CreateDirectory("volume");
            File.WriteAllText(Path.Combine(volume, "volume-file"), "from the volume");

            var plan = new ContainerFilesystemPlan
            {
                ContainerId = scratch.Id,
                Root = DirectoryRootFilesystem.Of(image),
                ReadOnlyRoot = readOnly,
                Hostname = "bb-host",
                MountProc = !readOnly,
                Volumes =
                [
                    new BindVolume(volume, "/escape/etc/berth-escape", ReadOnly: true),
                    new TmpfsVolume("/abs/berth-abs"),
                ],
                Secrets = [new SecretFile("token", Encoding.UTF8.GetBytes(Secret))],
            };
            ContainerFilesystem.Prepare(plan);

            var inspection = new
            {
                exists = new[] { marker, scratch.TempDirectory, "/usr/share/dotnet", "/work", "/etc/berth-escape/volume-file", "/etc/berth-abs" },
                list = new[] { "/", "/proc", "/etc/berth-escape", "/run/secrets" },
                read = new[] { "/etc/hostname", "/etc/hosts", "/etc/os-release", "/run/secrets/token" },
                write = new[] { "/written-inside", "/etc/os-release", "/tmp/written", "/etc/hostname", "/etc/berth-abs/written", "/etc/berth-escape/written" },
                command = new[] { "/bin/sh", "-c", "echo busybox ran; cat /etc/hostname; ls /etc/berth-escape" },
            };
            var report = scratch.RunSetup(plan, inspection, pidNamespace: !readOnly);
            Assert.True(report.GetProperty("setupError").ValueKind == JsonValueKind.Null, report.GetProperty("setupError").ToString());
            return new Run(scratch, image, imageFiles, marker, report.GetProperty("view"));
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every path below <paramref name="directory"/> with its length or link target: what must not change. Links are
    /// listed, never followed (the image's <c>/escape</c> leads to the host's root).
    /// </summary>
    internal static string[] Snapshot(string directory)
    {
        var entries = new List<string>();
        void Walk(DirectoryInfo current)
        {
            foreach (var entry in current.EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(directory, entry.FullName);
                if (entry.LinkTarget is { } target)
                    entries.Add($"{relative} -> {target}");
                else if (entry is DirectoryInfo subdirectory)
                {
                    entries.Add($"{relative}/");
                    Walk(subdirectory);
                }
                else
                {
                    entries.Add($"{relative} {((FileInfo)entry).Length}");
                }
            }
        }

        Walk(new DirectoryInfo(directory));
        return entries.Order(StringComparer.Ordinal).ToArray();
    }

    internal sealed record Run(FilesystemScratch Scratch, string Image, string[] ImageFiles, string Marker, JsonElement View);
}
