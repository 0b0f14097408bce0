using System.Globalization;
using Berth.Benchmarks.StackStart.Processes;
using Berth.Benchmarks.StackStart.Workloads;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>
/// The floor: the five services as bare <c>dotnet SvcN.dll</c> processes, started all at once, each on a port of its
/// own. No isolation, no proxy, no health checks: what starting five ASP.NET Core processes costs on this machine.
/// </summary>
internal sealed class FloorContender(Workload workload, string dotnet) : IContender
{
    public string Key => ContenderKeys.Floor;

    public string Name => "floor: 5 × `dotnet SvcN.dll`";

    public string Command => "ASPNETCORE_HTTP_PORTS=PORT dotnet Services/SvcN/bin/Release/net10.0/SvcN.dll (N = 1 … 5, in parallel)";

    public RunningStack Start(long origin)
    {
        var ports = FreePorts.Take(Workload.ServiceCount);
        var timeline = new OutputTimeline();
        var roots = new List<LaunchedProcess>();
        for (var i = 0; i < Workload.ServiceCount; i++)
        {
            var name = Workload.ServiceNames[i];
            var assembly = workload.ServiceAssembly(i);
            roots.Add(LaunchedProcess.Start(
                dotnet,
                [assembly],
                new Dictionary<string, string>
                {
                    ["ASPNETCORE_HTTP_PORTS"] = ports[i].ToString(CultureInfo.InvariantCulture),
                    ["DOTNET_ENVIRONMENT"] = ServiceEnvironment.DotnetEnvironment,
                },
                Path.GetDirectoryName(assembly)!,
                origin,
                (at, line) =>
                {
                    if (line.Contains("Now listening on:", StringComparison.Ordinal))
                    {
                        timeline.Note(TimelineEvents.Listening, name, at);
                    }
                }));
        }

        return new RunningStack(roots, [.. ports.Select(p => new Uri($"http://127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}/"))], timeline);
    }

    public string RoleOf(ProcessInfo process, RunningStack stack) => "service (`dotnet SvcN.dll`)";

    public IReadOnlyList<string> Leftovers() => [];
}
