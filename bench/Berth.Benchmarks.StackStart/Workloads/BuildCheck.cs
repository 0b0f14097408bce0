namespace Berth.Benchmarks.StackStart.Workloads;

/// <summary>The no-op build of one stack project, timed a few times: what <c>dotnet run</c> spends before it starts anything.</summary>
internal sealed record BuildCheck(string Name, string Command, IReadOnlyList<TimeSpan> Durations);
