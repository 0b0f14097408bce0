namespace Berth.Runtime.Tests;

/// <summary>
/// The leak tests count the whole process's descriptors, threads and children, so they run alone: the containers,
/// pipes and sockets of tests running beside them would count too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeakCollection
{
    public const string Name = "Leaks";
}
