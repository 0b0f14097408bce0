namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>A contender's memory per running container (median of the rounds), or why it has none.</summary>
internal sealed record MemoryResult(string Key, string Name, MemorySample? PerContainer, IReadOnlyList<MemorySample> Rounds, string? Failure);
