using Berth.Benchmarks.Network.Cpus;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>Every contender's rounds in one phase, and how nginx was started for it.</summary>
internal sealed record PhaseResult(CpuPhase Phase, IReadOnlyList<ContenderRounds> Contenders, string? NginxCommand);
