namespace Berth.Host.Control;

/// <summary>
/// What a client asks of a running stack: the one line it sends after connecting to <c>control.sock</c>
/// (<see cref="ControlVerbs"/>). The server answers with <see cref="ControlMessage"/> lines.
/// </summary>
internal sealed record ControlRequest(string Verb)
{
    /// <summary>For <c>logs</c>: only this service's replicas; null for every service. For <c>exec</c>: the service to run in.</summary>
    public string? Service { get; init; }

    /// <summary>For <c>logs</c>: at most this many of each replica's last lines; null for all that are kept.</summary>
    public int? Tail { get; init; }

    /// <summary>For <c>logs</c>: keep sending new lines until the stack stops or the client goes.</summary>
    public bool Follow { get; init; }

    /// <summary>For <c>exec</c>: which replica of <see cref="Service"/>, from 1.</summary>
    public int? Replica { get; init; }

    /// <summary>For <c>exec</c>: the program and its arguments.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>For <c>exec</c>: the directory it starts in; null for the container's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>For <c>signal</c>, which an <c>exec</c> client sends while its process runs: the signal to pass on.</summary>
    public int? Signal { get; init; }
}

/// <summary>The verbs of the control protocol.</summary>
internal static class ControlVerbs
{
    public const string Ps = "ps";
    public const string Logs = "logs";
    public const string Down = "down";
    public const string Exec = "exec";
    public const string Signal = "signal";
}
