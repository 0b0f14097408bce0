using System.Runtime.InteropServices;

namespace Berth.Benchmarks.StackStart.Report;

/// <summary>What the numbers were measured on: enough to tell whether two runs are comparable.</summary>
internal sealed record MachineDescription(IReadOnlyList<(string Name, string Value)> Facts)
{
    /// <summary>Settings of this environment that change how long a build takes (node reuse, the compiler server).</summary>
    private static readonly string[] s_buildVariables = ["MSBUILDDISABLENODEREUSE", "UseSharedCompilation", "DOTNET_CLI_USE_MSBUILD_SERVER"];

    public static MachineDescription Describe(string dotnet) => new(
    [
        .. MachineFacts.Basics(),
        (".NET SDK", MachineFacts.FirstLine(dotnet, "--version") ?? "unknown"),
        (".NET runtime", RuntimeInformation.FrameworkDescription),
        ("Aspire", "Aspire.AppHost.Sdk 13.6.4, Aspire.Hosting.AppHost 13.6.5 (DCP from Aspire.Hosting.Orchestration.linux-x64 13.6.5)"),
        ("build settings in the environment", string.Join(", ", s_buildVariables.Select(v => $"{v}={Environment.GetEnvironmentVariable(v) ?? "(unset)"}"))),
    ]);
}
