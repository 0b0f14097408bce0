namespace Berth.Benchmarks.Network.Contenders;

/// <summary>A contender cannot be measured (its path does not answer, nginx did not start): it is reported, the others go on.</summary>
internal sealed class ContenderException(string message) : Exception(message);
