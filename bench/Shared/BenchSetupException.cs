namespace Berth.Benchmarks.Shared;

/// <summary>The benchmark cannot run as asked (not root, a tool missing, a bad option); the message says what to do.</summary>
internal sealed class BenchSetupException(string message) : Exception(message);
