using System.Globalization;
using Berth.Host.Orchestration;
using Berth.Runtime.Containers;

namespace Berth.Host.Control;

/// <summary>
/// A running stack as <c>ps --format json</c> prints it (docs/orchestration.md lists every member). Its names and
/// their meaning are stable; members may be added. Nothing of a service's environment or secrets is in it.
/// </summary>
/// <param name="Pid">The process that runs the stack (<c>up</c>).</param>
/// <param name="Gateway">Where the gateway listens; null until the stack is up.</param>
internal sealed record StackStatusDocument(
    string Stack,
    string Environment,
    int Pid,
    DateTimeOffset StartedAt,
    string? Gateway,
    IReadOnlyList<ReplicaStatusDocument> Replicas);

/// <summary>One replica in <see cref="StackStatusDocument"/>.</summary>
/// <param name="Name"><c>SERVICE-INDEX</c>.</param>
/// <param name="State">waiting, starting, running, restarting, exited, stopping, stopped or failed.</param>
/// <param name="Health">starting, healthy or unhealthy; null for a service without a health check, or no container.</param>
/// <param name="Pid">The host's PID of the container's first process (PID 1 inside: the service, or Berth's init with <c>init = true</c>).</param>
/// <param name="MemoryBytes">The memory charged to the container's cgroup.</param>
/// <param name="UptimeSeconds">How long the current container has run.</param>
internal sealed record ReplicaStatusDocument(
    string Name,
    string Service,
    int Index,
    string State,
    string? Health,
    int Restarts,
    int? Pid,
    long? MemoryBytes,
    DateTimeOffset? StartedAt,
    double? UptimeSeconds,
    string? ContainerId,
    ExitDocument? LastExit,
    string? Message)
{
    public static ReplicaStatusDocument From(ReplicaSnapshot status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new ReplicaStatusDocument(
            status.Replica,
            status.Service,
            status.Index,
            Word(status.State),
            status.Health is { } health ? Word(health) : null,
            status.Restarts,
            status.Pid,
            status.MemoryBytes,
            status.StartedAt,
            status.StartedAt is { } started ? Math.Round(Math.Max(0, (now - started).TotalSeconds), 3) : null,
            status.ContainerId,
            status.LastExit is { } exit ? ExitDocument.From(exit) : null,
            status.Message);
    }

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLower(CultureInfo.InvariantCulture);
}

/// <summary>How a container ended.</summary>
/// <param name="Signal">The signal that killed it; null when it exited.</param>
/// <param name="Description">"exit code 3", "killed by signal 9 (SIGKILL)", "killed for exceeding its memory limit".</param>
internal sealed record ExitDocument(int ExitCode, int? Signal, bool OomKilled, string Description)
{
    public static ExitDocument From(ContainerExit exit) => new(exit.ExitCode, exit.Signal, exit.OomKilled, exit.Describe());

    public ContainerExit ToExit() => new(ExitCode, Signal, OomKilled);
}
