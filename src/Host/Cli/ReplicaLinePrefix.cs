using Berth.Host.Orchestration;

namespace Berth.Host;

/// <summary>
/// A replica's line as Compose prints it: <c>catalog-1 | line</c>, the name padded to the longest replica name and
/// in its service's colour. <c>up</c> and <c>logs</c> print lines this way.
/// </summary>
internal sealed class ReplicaLinePrefix(ConsoleStyle style, int width)
{
    /// <summary>Padded to the longest replica name of <paramref name="stacks"/>.</summary>
    public static ReplicaLinePrefix For(ConsoleStyle style, params IEnumerable<StackDefinition> stacks) => new(
        style,
        stacks.SelectMany(stack => stack.Services)
            .Where(s => s.Replicas > 0)
            .Select(s => ReplicaNames.Of(s.Name, s.Replicas).Length)
            .DefaultIfEmpty(0)
            .Max());

    public string Format(string service, string replica, string line) => $"{style.Service(service, $"{replica.PadRight(width)} |")} {line}";
}
