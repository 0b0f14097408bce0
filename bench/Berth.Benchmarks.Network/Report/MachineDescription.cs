using System.Runtime;
using System.Runtime.InteropServices;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Processes;

namespace Berth.Benchmarks.Network.Report;

/// <summary>What the numbers were measured on: enough to tell whether two runs are comparable.</summary>
internal sealed record MachineDescription(IReadOnlyList<(string Name, string Value)> Facts)
{
    public static async Task<MachineDescription> DescribeAsync(BenchTools tools) => new(
    [
        .. MachineFacts.Basics(coresNote: $"this process may use CPUs {CpuList.Format(CpuList.Allowed())}"),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("host GC (gateway, mesh, forwarder)", $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}"),
        ("host thread pool spin limit", SpinLimit()),
        ("backend GC", "server (DOTNET_gcServer=1, as the Web SDK sets it)"),
        ("wrk", await VersionAsync(tools.Wrk, "-v").ConfigureAwait(false)),
        ("nginx", await VersionAsync(tools.Nginx, "-v").ConfigureAwait(false)),
    ]);

    /// <summary>
    /// How long the host's idle thread-pool workers spin before they sleep: .NET's default (70) unless the
    /// runtimeconfig or <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> says otherwise. It changes the host's CPU per request.
    /// </summary>
    private static string SpinLimit() =>
        Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is { Length: > 0 } variable
            ? $"{variable} (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit)"
            : AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") is { } configured
                ? $"{configured} (runtimeconfig)"
                : ".NET's default (70)";

    /// <summary>The first line a tool prints about its version (wrk and nginx print it on standard error, and exit 1).</summary>
    private static async Task<string> VersionAsync(string? tool, string argument)
    {
        if (tool is null)
        {
            return "not installed";
        }

        var output = await ToolProcess.RunAsync(tool, [argument], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return (output.StandardOutput + output.StandardError).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "unknown";
    }
}
