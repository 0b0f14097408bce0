namespace Berth.Benchmarks.Network.Contenders;

/// <summary>A contender this machine cannot run, and why (a tool is missing).</summary>
internal sealed record SkippedContender(string Key, string Name, string Reason);
