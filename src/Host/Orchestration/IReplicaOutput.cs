namespace Berth.Host.Orchestration;

/// <summary>Where the lines that replicas write go: the <c>up</c> command prints them with the replica's name in front.</summary>
public interface IReplicaOutput
{
    /// <summary>Called for each line, from the replica's own reading task: lines of one stream come in order.</summary>
    void Write(string replica, ReplicaOutputStream stream, string line);
}
