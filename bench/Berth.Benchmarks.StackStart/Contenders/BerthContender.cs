using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Runtime.Cgroups;
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
    /// <summary>The CPU weight of one task in a v1 <c>cpu.shares</c> and in a v2 <c>cpu.weight</c>: the kernels' defaults.</summary>
    private const int SharesPerTask = 1024;
    private const int WeightPerTask = 100;

    private readonly Workload _workload;
    private readonly string _dotnet;
    private readonly StackWorkspace _workspace;
    private readonly string _cgroupParent;
    private readonly bool _weighted;
    private readonly IReadOnlyDictionary<string, string> _hostEnvironment;

    private BerthContender(Workload workload, string dotnet, StackWorkspace workspace, IReadOnlyDictionary<string, string> hostEnvironment, string key, string name, string cgroupParent, bool weighted)
    {
        _hostEnvironment = hostEnvironment;
        _workload = workload;
        _dotnet = dotnet;
        _workspace = workspace;
        Key = key;
        Name = name;
        _cgroupParent = cgroupParent;
        _weighted = weighted;
    }

    public string Key { get; }

    /// <summary>Where a cgroup's CPU weight is: v1's <c>cpu.shares</c> where a v1 cpu hierarchy is mounted, else v2's <c>cpu.weight</c>.</summary>
    private static string CpuWeightFile => CgroupLayout.Detect().LegacyHierarchyOf("cpu") is not null ? "cpu.shares" : "cpu.weight";

    /// <summary>The experiment's weight: five tasks' worth.</summary>
    private static int CpuWeight => (CpuWeightFile == "cpu.shares" ? SharesPerTask : WeightPerTask) * Workload.ServiceCount;

    public string Name { get; }

    public string Command =>
        $"{(_weighted ? $"Berth__CgroupParent={_cgroupParent} (made beforehand with {CpuWeightFile} = {CpuWeight}) " : string.Empty)}{string.Concat(_hostEnvironment.Select(e => $"{e.Key}={e.Value} "))}dotnet BerthStack/bin/Release/net10.0/BerthStack.dll up --gateway-port PORT";

    /// <summary>The stack as Berth runs it.</summary>
    public static BerthContender Standard(Workload workload, string dotnet, StackWorkspace workspace, IReadOnlyDictionary<string, string> hostEnvironment) =>
        new(workload, dotnet, workspace, hostEnvironment, ContenderKeys.Berth, "Berth: `dotnet BerthStack.dll up`", workspace.CgroupParent, weighted: false);

    /// <summary>
    /// An experiment, not how Berth runs: the same stack, with its containers' cgroup parent given the CPU weight of
    /// five tasks instead of one. Every container has a cpu cgroup of its own below the stack's parent, and the kernel
    /// weighs a cgroup as one task against its siblings, so all five services together get the CPU one bare process
    /// would get from a busy machine, where the floor's five processes get five shares.
    /// </summary>
    public static BerthContender Weighted(Workload workload, string dotnet, StackWorkspace workspace, IReadOnlyDictionary<string, string> hostEnvironment) =>
        new(workload, dotnet, workspace, hostEnvironment, ContenderKeys.BerthWeighted, "Berth, containers' CPU weight × 5 (experiment)", workspace.WeightedCgroupParent, weighted: true);

    public RunningStack Start(long origin)
    {
        if (_weighted)
        {
            WeighCgroupParent();
        }

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

    /// <summary>Makes the experiment's cgroup parent in the cpu hierarchy (Berth makes it in the others) with the weight of all five services.</summary>
    private void WeighCgroupParent()
    {
        var layout = CgroupLayout.Detect();
        var hierarchy = layout.LegacyHierarchyOf("cpu") ?? layout.Unified ?? throw new BenchSetupException("No cpu cgroup hierarchy to weigh the experiment's containers in.");
        var parent = Path.Combine(hierarchy.OwnDirectory, _cgroupParent);
        Directory.CreateDirectory(parent);
        File.WriteAllText(Path.Combine(parent, CpuWeightFile), CpuWeight.ToString(CultureInfo.InvariantCulture));
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
