using System.Text.Json.Serialization;

namespace Berth.Host.Control;

/// <summary>
/// One line from the server to a client; exactly one member is set. <c>ps</c> gets a <see cref="Status"/>;
/// <c>logs</c> gets <see cref="Line"/>s, then <see cref="End"/> (at once, or when the stack stops with
/// <c>--follow</c>); <c>down</c> gets <see cref="Down"/>, the replicas' <see cref="Event"/>s while they stop, then
/// <see cref="End"/>; <c>exec</c> gets <see cref="Ready"/> (the client then passes its standard streams), the
/// started process's <see cref="Exec"/>, and its <see cref="Exited"/>. A request that cannot be served gets an
/// <see cref="Error"/>.
/// </summary>
internal sealed record ControlMessage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StackStatusDocument? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplicaLogLine? Line { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DownDocument? Down { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplicaEventDocument? Event { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ready { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExecStartedDocument? Exec { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExitDocument? Exited { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool End { get; init; }

    public static ControlMessage Ended { get; } = new() { End = true };
}

/// <summary>The answer to <c>down</c>: the stack stops; the process that ran it is this one.</summary>
internal sealed record DownDocument(int Pid, string Environment);

/// <summary>The process <c>exec</c> started runs: its PID as the host sees it, and the replica it runs in.</summary>
internal sealed record ExecStartedDocument(int Pid, string Replica);
