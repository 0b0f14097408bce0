using System.Globalization;
using Berth.Host.Orchestration;

namespace Berth.Host.Control;

/// <summary>A <see cref="ReplicaEvent"/> on the wire: what <c>down</c> shows of the replicas while they stop.</summary>
internal sealed record ReplicaEventDocument(
    string Service,
    int Index,
    string Kind,
    DateTimeOffset Time,
    double? ElapsedSeconds,
    ExitDocument? Exit,
    double? RestartDelaySeconds,
    string? Message)
{
    public static ReplicaEventDocument From(ReplicaEvent e) => new(
        e.Service,
        e.Index,
        e.Kind.ToString(),
        e.Time,
        e.Elapsed?.TotalSeconds,
        e.Exit is { } exit ? ExitDocument.From(exit) : null,
        e.RestartDelay?.TotalSeconds,
        e.Message);

    /// <summary>The event again; null for a kind this client does not know (a newer server's).</summary>
    public ReplicaEvent? ToEvent() => Enum.TryParse<ReplicaEventKind>(Kind, ignoreCase: false, out var kind)
        ? new ReplicaEvent(Service, Index, kind, Time)
        {
            Elapsed = ElapsedSeconds is { } elapsed ? TimeSpan.FromSeconds(elapsed) : null,
            Exit = Exit?.ToExit(),
            RestartDelay = RestartDelaySeconds is { } delay ? TimeSpan.FromSeconds(delay) : null,
            Message = Message,
        }
        : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ReplicaNames.Of(Service, Index)}: {Kind}");
}
