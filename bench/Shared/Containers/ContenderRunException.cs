namespace Berth.Benchmarks.Containers;

/// <summary>A contender's run went wrong (a non-zero exit, a failed start): that contender stops, the others go on.</summary>
internal sealed class ContenderRunException(string message) : Exception(message);
