using System.Globalization;
using Berth.Benchmarks.StackStart.Processes;
using Berth.Benchmarks.StackStart.Workloads;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>
/// The Aspire app host of the five (Workload/AspireAppHost), dashboard off, started as <c>dotnet AspireAppHost.dll</c>.
/// Aspire starts its orchestrator (DCP: an API server and its controllers, detached from the app host), which runs
/// each project with <c>dotnet run --no-build</c> under a process monitor, and listens on each service's declared
/// port as a proxy to the port the service was given: that port is where a client reaches it.
/// </summary>
internal sealed class AspireContender(Workload workload, string dotnet) : IContender
{
    private HashSet<string> _filesBefore = [];

    public string Key => ContenderKeys.Aspire;

    public string Name => "Aspire: `dotnet AspireAppHost.dll`";

    public string Command => "BENCH_PORTS=P1,…,P5 dotnet AspireAppHost/bin/Release/net10.0/AspireAppHost.dll";

    public RunningStack Start(long origin)
    {
        _filesBefore = [.. DcpFiles()];
        var ports = FreePorts.Take(Workload.ServiceCount);
        var timeline = new OutputTimeline();
        var appHost = LaunchedProcess.Start(
            dotnet,
            [workload.AspireAppHostAssembly],
            new Dictionary<string, string>
            {
                ["BENCH_PORTS"] = string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                ["DOTNET_ENVIRONMENT"] = ServiceEnvironment.DotnetEnvironment,
            },
            Path.GetDirectoryName(workload.AspireAppHostProject)!,
            origin,
            (at, line) =>
            {
                if (line.Contains("Distributed application starting.", StringComparison.Ordinal))
                {
                    timeline.Note(TimelineEvents.HostReady, string.Empty, at);
                }
                else if (line.Contains("Distributed application started.", StringComparison.Ordinal))
                {
                    timeline.Note(TimelineEvents.Up, string.Empty, at);
                }
            });
        return new RunningStack([appHost], [.. ports.Select(p => new Uri($"http://127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}/"))], timeline);
    }

    public string RoleOf(ProcessInfo process, RunningStack stack)
    {
        var command = process.CommandLine;
        return process.Pid == stack.Roots[0].Pid ? "Aspire app host"
            : command.Contains("/dcp start-apiserver", StringComparison.Ordinal) ? "DCP API server"
            : command.Contains("/dcp run-controllers", StringComparison.Ordinal) ? "DCP controllers"
            : command.Contains("/dcp monitor-process", StringComparison.Ordinal) ? "DCP process monitor"
            : command.Contains(" run --project ", StringComparison.Ordinal) ? "`dotnet run --no-build` of a service"
            : command.Contains("/Svc", StringComparison.Ordinal) ? "service"
            : $"other: {command}";
    }

    /// <summary>DCP's working files made since the start (its kubeconfig folder, its notification socket) that are still there.</summary>
    public IReadOnlyList<string> Leftovers() => [.. DcpFiles().Where(f => !_filesBefore.Contains(f)).Select(f => $"file {f}")];

    private static IEnumerable<string> DcpFiles()
    {
        var temp = Path.GetTempPath();
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dcp");
        return [
            .. Directory.Exists(temp) ? Directory.EnumerateFileSystemEntries(temp, "aspire-dcp*") : [],
            .. Directory.Exists(cache) ? Directory.EnumerateFileSystemEntries(cache, "dcp-notify-sock-*") : [],
        ];
    }
}
