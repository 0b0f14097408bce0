namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>The things a contender's output says, by which its timeline is read.</summary>
internal static class TimelineEvents
{
    /// <summary>The Berth host's first line (<c>Starting stack …</c>): its runtime has started and it has read the stack.</summary>
    public const string HostReady = "host ready";

    /// <summary>A replica is being started (its container is being made).</summary>
    public const string Starting = "starting";

    /// <summary>A replica's container runs (<c>started in …</c>).</summary>
    public const string Started = "started";

    /// <summary>A service's Kestrel listens (its <c>Now listening on:</c> log line).</summary>
    public const string Listening = "listening";

    /// <summary>A replica passed its first health check; it joins the gateway's routes.</summary>
    public const string Healthy = "healthy";

    /// <summary>The stack says it is up (Berth's summary; Aspire's <c>Distributed application started.</c>).</summary>
    public const string Up = "up";

    /// <summary>The host's <c>Stopping stack …</c> after Ctrl+C.</summary>
    public const string Stopping = "stopping";

    /// <summary>A replica has stopped and its container is removed.</summary>
    public const string Stopped = "stopped";

    /// <summary>The host's last line, <c>Stack … stopped in …</c>.</summary>
    public const string StackStopped = "stack stopped";
}
