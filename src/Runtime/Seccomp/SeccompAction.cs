namespace Berth.Runtime.Seccomp;

/// <summary>
/// What the kernel does with a system call a filter has decided on: the filter's 32-bit return value,
/// <c>SECCOMP_RET_*</c> in the top 16 bits and the action's data (an errno) in the low 16 bits
/// (<c>linux/seccomp.h</c>).
/// </summary>
public readonly record struct SeccompAction
{
    private const uint RetKillProcess = 0x80000000;
    private const uint RetErrno = 0x00050000;
    private const uint RetAllow = 0x7fff0000;
    private const uint RetActionFull = 0xffff0000;
    private const uint RetData = 0x0000ffff;

    // The kernel clamps SECCOMP_RET_ERRNO data to MAX_ERRNO (4095) before returning it as -errno.
    private const int MaxErrno = 4095;

    private SeccompAction(uint returnValue) => ReturnValue = returnValue;

    /// <summary>Let the call run.</summary>
    public static SeccompAction Allow { get; } = new(RetAllow);

    /// <summary>Kill the whole process as if by an uncatchable SIGSYS (kernel 4.14+).</summary>
    public static SeccompAction KillProcess { get; } = new(RetKillProcess);

    /// <summary>Fail the call with <paramref name="errno"/> without running it.</summary>
    public static SeccompAction Errno(int errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errno, MaxErrno);
        return new(RetErrno | (uint)errno);
    }

    /// <summary>Reads back the action a filter returned.</summary>
    public static SeccompAction FromReturnValue(uint returnValue) => new(returnValue);

    /// <summary>The value a filter returns for this action.</summary>
    public uint ReturnValue { get; }

    /// <summary>Whether the call fails with an errno; <see cref="ErrnoValue"/> says which.</summary>
    public bool IsErrno => (ReturnValue & RetActionFull) == RetErrno;

    /// <summary>The errno of an <see cref="Errno(int)"/> action; 0 for any other action.</summary>
    public int ErrnoValue => IsErrno ? (int)(ReturnValue & RetData) : 0;

    /// <inheritdoc />
    public override string ToString() => ReturnValue switch
    {
        RetAllow => "ALLOW",
        RetKillProcess => "KILL_PROCESS",
        _ when IsErrno => $"ERRNO({ErrnoValue})",
        var other => $"0x{other:x8}",
    };
}
