using System.Runtime.InteropServices;
using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// Waits for children of this process to end and reaps them, with the raw <c>waitid</c> call. Orphans anywhere in
/// the container become children of its PID 1, so in init mode this is where every process of the container ends.
/// </summary>
internal static class ExitedChildren
{
    // linux/wait.h
    private const int PAll = 0;
    private const int PPid = 1;
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;

    // linux/signal.h, si_code for SIGCHLD
    private const int CldExited = 1;

    private static readonly int s_waitid = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "waitid");

    /// <summary>
    /// Blocks until a child has ended and returns its PID, leaving it a zombie: until it is reaped its PID cannot
    /// be reused, so the caller can settle what that PID means (for example, stop signalling it) first.
    /// </summary>
    public static int WaitForNext() => Wait(PAll, 0, WExited | WNoWait).Pid;

    /// <summary>Reaps the child <paramref name="pid"/>, which has ended, and says how.</summary>
    public static ChildExit Reap(int pid) => Wait(PPid, pid, WExited);

    private static unsafe ChildExit Wait(int idType, int id, int options)
    {
        ChildSignalInfo info;
        while ((long)LibC.syscall(s_waitid, idType, id, &info, options, null) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw SystemCallFailure.Create("waitid", errno);
            }
        }

        return info.Code == CldExited
            ? new ChildExit(info.Pid, info.Status, null)
            : new ChildExit(info.Pid, 0, info.Status);
    }

    /// <summary>The start of the kernel's <c>siginfo_t</c> (128 bytes) as <c>waitid</c> fills it on a 64-bit kernel.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct ChildSignalInfo
    {
        [FieldOffset(8)]
        public int Code;

        [FieldOffset(16)]
        public int Pid;

        [FieldOffset(24)]
        public int Status;
    }
}
