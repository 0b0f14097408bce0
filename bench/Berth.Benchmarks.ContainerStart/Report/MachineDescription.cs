using System.Runtime.InteropServices;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ContainerStart.Report;

/// <summary>What the numbers were measured on: enough to tell whether two runs are comparable.</summary>
internal sealed record MachineDescription(IReadOnlyList<(string Name, string Value)> Facts)
{
    public static MachineDescription Describe(CgroupLayout layout) => new(
    [
        .. MachineFacts.Basics(),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("cgroups", layout.Mode.ToString().ToLowerInvariant()),
        ("busybox", FirstLine("busybox", "--help") ?? "missing"),
        ("crun", FirstLine("crun", "--version") ?? "not installed"),
        ("runc", FirstLine("runc", "--version") ?? "not installed"),
    ]);

    /// <summary>A tool's first line of output, if it is installed.</summary>
    private static string? FirstLine(string tool, string argument) =>
        ToolLocator.Find(tool) is { } path ? MachineFacts.FirstLine(path, argument) : null;
}
