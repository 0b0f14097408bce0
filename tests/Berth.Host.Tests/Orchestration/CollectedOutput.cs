using System.Collections.Concurrent;
using Berth.Host.Orchestration;

namespace Berth.Host.Tests.Orchestration;

/// <summary>What the replicas wrote, line by line.</summary>
internal sealed class CollectedOutput : IReplicaOutput
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Write(string replica, ReplicaOutputStream stream, string line) => _lines.Enqueue($"{replica} | {line}");
}
