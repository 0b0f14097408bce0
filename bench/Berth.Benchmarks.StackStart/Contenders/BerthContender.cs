using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Benchmarks.StackStart.Processes;
using Berth.Benchmarks.StackStart.Workloads;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>
/// The Berth stack of the five (Workload/BerthStack): the built stack project started as <c>dotnet BerthStack.dll up</c>,
/// which is what <c>dotnet run</c> on it runs once its build check is done. Every service in its own containers
/// (namespaces, seccomp, no capabilities, non-root), behind the gateway, with an http health check. Its state and
/// cgroups are the run's own (<c>Berth__StateDirectory</c>, <c>Berth__CgroupParent</c>), so the check after the
/// stop sees exactly what this stack left.
/// </summary>
internal sealed partial class BerthContender : IContender
{
    private readonly Workload _workload;
    private readonly string _dotnet;
    private readonly StackWorkspace _workspace;
    private readonly string _cgroupParent;
    private readonly IReadOnlyDictionary<string, string> _hostEnvironment;

    private BerthContender(Workload workload, string dotnet, StackWorkspace workspace, IReadOnlyDictionary<string, string> hostEnvironment, string key, string name, string cgroupParent)
    {
        _hostEnvironment = hostEnvironment;
        _workload = workload;
        _dotnet = dotnet;
        _workspace = workspace;
        Key = key;
        Name = name;
        _cgroupParent = cgroupParent;
    }

    public string Key { get; }

    public string Name { get; }

    public string Command =>
        $"{string.Concat(_hostEnvironment.Select(e => $"{e.Key}={e.Value} "))}dotnet BerthStack/bin/Release/net10.0/BerthStack.dll up --gateway-port PORT";

    /// <summary>The stack as Berth runs it.</summary>
    public static BerthContender Standard(Workload workload, string dotnet, StackWorkspace workspace, IReadOnlyDictionary<string, string> hostEnvironment) =>
        new(workload, dotnet, workspace, hostEnvironment, ContenderKeys.Berth, "Berth: `dotnet BerthStack.dll up`", workspace.CgroupParent);

    public RunningStack Start(long origin)
    {
        var gatewayPort = FreePorts.Take(1)[0];
        var timeline = new OutputTimeline();
        var host = LaunchedProcess.Start(
            _dotnet,
            [_workload.BerthStackAssembly, "up", "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(_hostEnvironment, StringComparer.Ordinal)
            {
                ["Berth__StateDirectory"] = _workspace.BerthState,
                ["Berth__CgroupParent"] = _cgroupParent,
                ["DOTNET_ENVIRONMENT"] = ServiceEnvironment.DotnetEnvironment,
            },
            Path.GetDirectoryName(_workload.BerthStackProject)!,
            origin,
            (at, line) => Read(timeline, at, line));
        var gateway = $"http://127.0.0.1:{gatewayPort.ToString(CultureInfo.InvariantCulture)}";
        return new RunningStack([host], [.. Workload.ServiceNames.Select(s => new Uri($"{gateway}/{s}/"))], timeline);
    }

    public string RoleOf(ProcessInfo process, RunningStack stack) =>
        process.Pid == stack.Roots[0].Pid ? "Berth host (gateway, orchestrator)"
        : process.CommandLine.Contains("/app/Svc", StringComparison.Ordinal) ? "service, in its container"
        : $"other: {process.CommandLine}";

    /// <summary>Containers whose state is still there, cgroups below the stack's parent, mounts below the workspace.</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var containers = Path.Combine(_workspace.BerthState, "containers");
        var state = Directory.Exists(containers)
            ? Directory.EnumerateFileSystemEntries(containers).Select(e => $"container state {e}")
            : [];
        var cgroups = BenchCleanup.CgroupParentDirectories(_cgroupParent)
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Select(c => $"cgroup {c}");
        var below = _workspace.Directory + "/";
        var mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(m => m.StartsWith(below, StringComparison.Ordinal))
            .Select(m => $"mount {m}");
        return [.. state, .. cgroups, .. mounts];
    }

    /// <summary>The host's progress lines and the services' own, as <c>up</c> prints them (plain: the output is a pipe).</summary>
    private static void Read(OutputTimeline timeline, TimeSpan at, string line)
    {
        if (ProgressLine().Match(line) is { Success: true } progress)
        {
            var replica = progress.Groups["replica"].Value;
            var what = progress.Groups["what"].Value;
            var @event = what switch
            {
                "starting" => TimelineEvents.Starting,
                _ when what.StartsWith("started ", StringComparison.Ordinal) => TimelineEvents.Started,
                _ when what.StartsWith("healthy ", StringComparison.Ordinal) => TimelineEvents.Healthy,
                _ when what.StartsWith("stopped", StringComparison.Ordinal) => TimelineEvents.Stopped,
                _ => null,
            };
            if (@event is not null)
            {
                timeline.Note(@event, replica, at);
            }
        }
        else if (ReplicaLine().Match(line) is { Success: true } output)
        {
            if (output.Groups["text"].Value.Contains("Now listening on:", StringComparison.Ordinal))
            {
                timeline.Note(TimelineEvents.Listening, output.Groups["replica"].Value, at);
            }
        }
        else if (line.StartsWith("Starting stack ", StringComparison.Ordinal))
        {
            timeline.Note(TimelineEvents.HostReady, string.Empty, at);
        }
        else if (line.StartsWith("Stopping stack ", StringComparison.Ordinal))
        {
            timeline.Note(TimelineEvents.Stopping, string.Empty, at);
        }
        else if (line.StartsWith("Stack '", StringComparison.Ordinal))
        {
            if (line.Contains("' is up in ", StringComparison.Ordinal))
            {
                timeline.Note(TimelineEvents.Up, string.Empty, at);
            }
            else if (line.Contains("' stopped in ", StringComparison.Ordinal))
            {
                timeline.Note(TimelineEvents.StackStopped, string.Empty, at);
            }
        }
    }

    /// <summary><c>  svc1-1  started in 0.22 s</c>: two spaces, the replica, two or more spaces, what happened.</summary>
    [GeneratedRegex(@"^  (?<replica>[a-z0-9-]+-\d+) {2,}(?<what>\S.*)$")]
    private static partial Regex ProgressLine();

    /// <summary><c>svc1-1 | text</c>: a replica's own output.</summary>
    [GeneratedRegex(@"^(?<replica>[a-z0-9-]+-\d+) \| (?<text>.*)$")]
    private static partial Regex ReplicaLine();
}
