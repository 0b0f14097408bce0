namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>A contender's measured runs, and why it stopped early if it did (its numbers are then left out).</summary>
internal sealed class LatencyResult(string key, string name)
{
    private readonly List<RunTiming> _runs = [];

    public string Key { get; } = key;

    public string Name { get; } = name;

    public IReadOnlyList<RunTiming> Runs => _runs;

    public string? Failure { get; private set; }

    public void Add(RunTiming timing) => _runs.Add(timing);

    public void Fail(string reason) => Failure = reason;
}
