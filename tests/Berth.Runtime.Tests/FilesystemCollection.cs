namespace Berth.Runtime.Tests;

/// <summary>
/// The tests that mount run one at a time: each starts a few .NET processes, and the host-side mount table checks
/// of one must not see another's deliberate leak.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FilesystemCollection
{
    public const string Name = "Filesystem";
}
