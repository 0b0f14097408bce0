namespace Berth.Runtime.Filesystem;

/// <summary>
/// A step of setting up or removing a container's filesystem failed. The message says which step and why (the inner
/// exception's message, e.g. a <see cref="MountException"/> naming the call and its errno), so the init can report
/// it to the host as it is.
/// </summary>
public sealed class ContainerFilesystemException : Exception
{
    /// <summary>An error.</summary>
    public ContainerFilesystemException()
    {
    }

    /// <summary>An error.</summary>
    public ContainerFilesystemException(string message)
        : base(message)
    {
    }

    /// <summary>An error caused by <paramref name="innerException"/>.</summary>
    public ContainerFilesystemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><paramref name="step"/> failed because of <paramref name="innerException"/>.</summary>
    internal static ContainerFilesystemException ForStep(string step, Exception innerException) =>
        new($"Container filesystem: {step} failed: {innerException.Message}", innerException);
}
