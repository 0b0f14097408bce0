using Berth.Benchmarks.Network.Contenders;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>A contender's measured runs in one phase, by round, or why it has none (or stopped having more).</summary>
/// <param name="Command">The wrk command of a measured run, as the report shows it.</param>
internal sealed record ContenderRounds(Contender Contender, string Command, IReadOnlyDictionary<int, RoundResult> Rounds, string? Failure);
