namespace Berth.Host.Control;

/// <summary><c>ps</c>, <c>logs</c> or <c>down</c> found no process running the stack.</summary>
public sealed class StackNotRunningException : Exception
{
    internal StackNotRunningException(string message, bool abandoned)
        : base(message)
    {
        Abandoned = abandoned;
    }

    /// <summary>The process that ran it ended without stopping it (SIGKILL, a crash) and left its record behind.</summary>
    public bool Abandoned { get; }
}
