using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ImageStart.Report;

/// <summary>What the numbers were measured on: enough to tell whether two runs are comparable.</summary>
internal static class ImageMachine
{
    public static IReadOnlyList<(string Name, string Value)> Describe(ImageBenchWorkspace workspace) =>
    [
        .. MachineFacts.Basics(),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("cgroups", CgroupLayout.Detect().Mode.ToString().ToLowerInvariant()),
        ("Berth's init", InitLocator.FindNative(AppContext.BaseDirectory) is not null ? "compiled ahead of time (runtimes/…/native/berth-init)" : "managed (Berth.Runtime.Init.dll)"),
        ("workspace file system", FileSystemOf(workspace.Directory)),
        ("busybox", Version("busybox", "--help")),
        ("umoci", Version("umoci", "--version")),
        ("skopeo", Version("skopeo", "--version")),
        ("runc", Version("runc", "--version")),
        ("podman", Version("podman", "--version")),
        ("conmon", Version("conmon", "--version")),
    ];

    /// <summary>The three load averages, as <c>/proc/loadavg</c> gives them.</summary>
    public static string LoadAverages() =>
        string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)";

    private static string Version(string tool, string argument) =>
        ToolLocator.Find(tool) is { } path ? MachineFacts.FirstLine(path, argument) ?? "unknown" : "not installed";

    /// <summary>The type and source of the mount that holds <paramref name="path"/> (the longest mount point above it).</summary>
    private static string FileSystemOf(string path) =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Select(fields => (MountPoint: fields[4], Fields: fields[(Array.IndexOf(fields, "-") + 1)..]))
            .Where(m => path == m.MountPoint || path.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPoint.Length)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Fields[0]} ({m.Fields[1]}) at {m.MountPoint}"))
            .FirstOrDefault() ?? "unknown";
}
