using Berth.Host.Control;
using Berth.Host.Networking;
using Berth.Host.Orchestration;

namespace Berth.Host;

/// <summary>
/// The <c>up</c> command's progress lines, one per change of a replica (starting, started, healthy, exited, …) with
/// how long it took, and the stack's summary once it is up: the gateway's address and where each route goes.
/// </summary>
internal sealed class UpProgress(UpConsole console, StackDefinition stack)
{
    private readonly int _width = Math.Max(
        stack.Services.Where(s => s.Replicas > 0).Select(s => ReplicaNames.Of(s.Name, s.Replicas).Length).DefaultIfEmpty(0).Max(),
        1);

    private readonly System.Diagnostics.Stopwatch _stopping = new();

    private ConsoleStyle Style => console.Style;

    public void Starting(string environment)
    {
        var running = stack.Services.Where(s => s.Replicas > 0).ToList();
        var replicas = running.Sum(s => s.Replicas);
        console.WriteLine(Style.Bold($"Starting stack '{stack.Name}' ({environment}): {Count(running.Count, "service")}, {Count(replicas, "replica")}"));
    }

    public void OnReplicaChanged(object? sender, ReplicaEvent e)
    {
        var what = e.Kind switch
        {
            ReplicaEventKind.Starting => "starting",
            ReplicaEventKind.Started => $"started {Style.Faint($"in {Durations.Format(e.Elapsed ?? TimeSpan.Zero)}")}",
            ReplicaEventKind.Healthy => $"{Style.Good("healthy")} {Style.Faint($"{Durations.Format(e.Elapsed ?? TimeSpan.Zero)} after start")}",
            ReplicaEventKind.Unhealthy => $"{Style.Bad("unhealthy")}: {e.Message}",
            ReplicaEventKind.Exited => Exited(e),
            ReplicaEventKind.Stopping => "stopping",
            ReplicaEventKind.Stopped => e.Exit is { } exit ? $"stopped {Style.Faint($"({exit.Describe()})")}" : "stopped",
            ReplicaEventKind.Failed => $"{Style.Bad("failed")}: {e.Message}",
            _ => e.Kind.ToString(),
        };
        console.WriteLine($"  {Style.Service(e.Service, e.Replica.PadRight(_width))}  {what}");
    }

    public void OnAbandonedRecordRemoved(object? sender, StackRecord? abandoned) => console.WriteLine(Style.Warning(abandoned is null
        ? $"An earlier run of stack '{stack.Name}' ended without stopping it; what it left is removed."
        : $"An earlier run of stack '{stack.Name}' ({abandoned.Describe()}) ended without stopping it; what it left is removed."));

    public void OnDownRequested(object? sender, int? pid) =>
        console.WriteLine(Style.Bold(pid is { } caller ? $"`down` (PID {caller}) asked the stack to stop." : "`down` asked the stack to stop."));

    /// <summary>The summary; <paramref name="interactive"/> adds how to stop the stack (not for a stack a test started).</summary>
    public void Up(TimeSpan took, StackNetwork network, bool interactive = true)
    {
        var gateway = network.GatewayAddress;
        console.WriteLine(Style.Bold($"Stack '{stack.Name}' is up in {Durations.Format(took)}."));
        console.WriteLine($"Gateway: {Style.Bold(gateway.ToString())}");
        var routes = stack.Services
            .Where(s => s.Replicas > 0)
            .SelectMany(s => s.Routes.Select(r => (Route: r, Service: s)))
            .OrderBy(r => r.Route, StringComparer.Ordinal)
            .ToList();
        var width = routes.Select(r => r.Route.Length).DefaultIfEmpty(0).Max();
        foreach (var (route, service) in routes)
        {
            console.WriteLine($"  {new Uri(gateway, route.TrimStart('/')).AbsolutePath.PadRight(width)}  -> {Style.Service(service.Name, service.Name)} {Style.Faint($"({Count(service.Replicas, "replica")})")}");
        }

        if (routes.Count == 0)
        {
            console.WriteLine(Style.Faint("  (no service has routes)"));
        }

        foreach (var published in network.PublishedPorts)
        {
            console.WriteLine($"Published: {Style.Bold(published.EndPoint.ToString())} -> {Style.Service(published.Service, published.Service)}:{published.Mapping.ContainerPort}");
        }

        if (interactive)
        {
            console.WriteLine(Style.Faint("Press Ctrl+C to stop."));
        }
    }

    public void Stopping()
    {
        _stopping.Start();
        console.WriteLine(Style.Bold($"Stopping stack '{stack.Name}'"));
    }

    public void Stopped() => console.WriteLine(Style.Bold($"Stack '{stack.Name}' stopped in {Durations.Format(_stopping.Elapsed)}."));

    private string Exited(ReplicaEvent e)
    {
        var exit = e.Exit!;
        var ran = Style.Faint($"after {Durations.Format(e.Elapsed ?? TimeSpan.Zero)}");
        var how = exit.Succeeded() ? Style.Good("completed") : Style.Warning($"exited with {exit.Describe()}");
        return e.RestartDelay is { } delay ? $"{how} {ran}; restarting in {Durations.Format(delay)}" : $"{how} {ran}";
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
