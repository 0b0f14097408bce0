namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>A contender this run leaves out, and why: the report says so instead of a number.</summary>
internal sealed record SkippedContender(string Key, string Name, string Reason);
