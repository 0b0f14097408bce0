using Berth.Host.Orchestration;

namespace Berth.Host;

/// <summary>Replicas' output as <c>up</c> prints it (<see cref="ReplicaLinePrefix"/>).</summary>
internal sealed class PrefixedReplicaOutput(UpConsole console, StackDefinition stack) : IReplicaOutput
{
    private readonly ReplicaLinePrefix _prefix = ReplicaLinePrefix.For(console.Style, stack);

    public void Write(string replica, ReplicaOutputStream stream, string line) =>
        console.WriteLine(_prefix.Format(ReplicaNames.ServiceOf(replica), replica, line));
}
