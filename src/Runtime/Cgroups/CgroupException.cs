namespace Berth.Runtime.Cgroups;

/// <summary>A cgroup could not be detected, created, changed or removed.</summary>
public sealed class CgroupException : Exception
{
    public CgroupException()
    {
    }

    public CgroupException(string message)
        : base(message)
    {
    }

    public CgroupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The errno of the failed system call, or 0 when the failure was not a system call.</summary>
    public int Errno { get; init; }
}
