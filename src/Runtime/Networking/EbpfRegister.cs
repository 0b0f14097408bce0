namespace Berth.Runtime.Networking;

/// <summary>
/// The eBPF registers (<c>linux/bpf.h</c>, <c>BPF_REG_0</c> … <c>BPF_REG_10</c>). The calling convention decides
/// which ones a program can rely on: a helper call takes its arguments in R1–R5 and leaves them unreadable
/// afterwards, and returns its result in R0; R6–R9 survive calls; R10 is the read-only frame pointer.
/// </summary>
internal enum EbpfRegister : byte
{
    /// <summary>A helper's return value; the program's own on exit.</summary>
    R0 = 0,

    /// <summary>First helper argument; the program's context when it starts.</summary>
    R1 = 1,

    R2 = 2,
    R3 = 3,
    R4 = 4,
    R5 = 5,

    /// <summary>Preserved across helper calls, as are R7–R9.</summary>
    R6 = 6,

    R7 = 7,
    R8 = 8,
    R9 = 9,

    /// <summary>The frame pointer: the program's 512-byte stack lies below it. Read-only.</summary>
    FramePointer = 10,
}
