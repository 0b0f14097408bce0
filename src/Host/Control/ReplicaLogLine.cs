namespace Berth.Host.Control;

/// <summary>A line a replica wrote, as <c>logs</c> gets it.</summary>
/// <param name="Sequence">Its place among every line of the stack: lines of several replicas merge in this order.</param>
/// <param name="Time">When the host read it.</param>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
internal sealed record ReplicaLogLine(long Sequence, DateTimeOffset Time, string Service, string Replica, string Stream, string Text);
