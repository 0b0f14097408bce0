namespace Berth.Host.Control;

/// <summary>How much of each replica's output the running stack keeps for <c>logs</c>.</summary>
public sealed class StackControlOptions
{
    /// <summary>The most lines kept per replica; older lines go first. Default: 1000.</summary>
    public int LogLinesPerReplica { get; set; } = 1000;

    /// <summary>The most characters kept per replica, all its kept lines together. Default: 256 Ki.</summary>
    public int LogCharactersPerReplica { get; set; } = 256 * 1024;

    /// <summary>A longer line is kept cut to this many characters. Default: 16 Ki.</summary>
    public int LogLineCharacters { get; set; } = 16 * 1024;
}
