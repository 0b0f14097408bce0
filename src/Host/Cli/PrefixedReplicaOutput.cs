using Berth.Host.Orchestration;

namespace Berth.Host;

/// <summary>Replicas' output as Compose prints it: <c>catalog-1 | line</c>, the name padded and in its service's colour.</summary>
internal sealed class PrefixedReplicaOutput(UpConsole console, StackDefinition stack) : IReplicaOutput
{
    private readonly int _width = stack.Services.Where(s => s.Replicas > 0)
        .Select(s => ReplicaNames.Of(s.Name, s.Replicas).Length)
        .DefaultIfEmpty(0)
        .Max();

    public void Write(string replica, ReplicaOutputStream stream, string line)
    {
        var service = replica[..replica.LastIndexOf('-')];
        console.WriteLine($"{console.Style.Service(service, $"{replica.PadRight(_width)} |")} {line}");
    }
}
