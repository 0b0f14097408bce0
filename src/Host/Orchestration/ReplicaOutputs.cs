namespace Berth.Host.Orchestration;

/// <summary>Several <see cref="IReplicaOutput"/>s as one: each line goes to every one, in the order they were registered.</summary>
internal sealed class ReplicaOutputs(IReadOnlyList<IReplicaOutput> outputs) : IReplicaOutput
{
    /// <summary>Null for none (the orchestrator then logs the lines), the one itself, or all of them as one.</summary>
    public static IReplicaOutput? Combine(IReadOnlyList<IReplicaOutput> outputs) => outputs switch
    {
        [] => null,
        [var only] => only,
        _ => new ReplicaOutputs(outputs),
    };

    public void Write(string replica, ReplicaOutputStream stream, string line)
    {
        foreach (var output in outputs)
        {
            output.Write(replica, stream, line);
        }
    }
}
