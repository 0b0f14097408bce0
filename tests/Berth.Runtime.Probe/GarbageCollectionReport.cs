namespace Berth.Runtime.Probe;

/// <summary>Whether allocating and collecting worked: full collections run, bytes kept alive, or the error.</summary>
internal sealed record GarbageCollectionReport(int FullCollections, long RetainedBytes, string? Error);
