using Berth.Host.Orchestration;

namespace Berth.Host.Tests.Orchestration;

/// <summary>What the replicas wrote, line by line, as <c>REPLICA | LINE</c>.</summary>
internal sealed class CollectedOutput : IReplicaOutput
{
    private readonly ObservedList<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.Items;

    public void Write(string replica, ReplicaOutputStream stream, string line) => _lines.Add($"{replica} | {line}");

    public Task<string> WaitForAsync(string line) => _lines.WaitForAsync(l => l == line);
}
