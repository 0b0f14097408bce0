namespace Berth.Host.Control;

/// <summary>Another process runs the stack: a second <c>up</c> of it fails with this, naming the first.</summary>
public sealed class StackAlreadyRunningException : Exception
{
    internal StackAlreadyRunningException(string stack, StackRecord? owner)
        : base(owner is null
            ? $"Stack '{stack}' is being started or stopped by another process; wait for it, or stop it with `down`."
            : $"Stack '{stack}' is already running ({owner.Describe()}); stop it with `down` first, or press Ctrl+C where it runs.")
    {
        Stack = stack;
        Pid = owner?.Pid;
    }

    public string Stack { get; }

    /// <summary>The process that runs it, as its record says; null when it has not written one yet.</summary>
    public int? Pid { get; }
}
