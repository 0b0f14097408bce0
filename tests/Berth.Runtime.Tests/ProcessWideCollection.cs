namespace Berth.Runtime.Tests;

/// <summary>
/// Tests that count what the whole test process owns (child processes, descriptors, threads) run alone, after the
/// parallel ones: another test's containers would otherwise count as their leaks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "Process-wide";
}
