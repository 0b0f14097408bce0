using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The calling thread's blocked signals. A thread's mask survives <c>execve</c> and is copied to the threads and
/// processes it starts, so whatever the host's spawning thread blocked would otherwise reach the init's threads
/// and the service.
/// </summary>
internal static class SignalMask
{
    /// <summary>Unblocks every signal on the calling thread.</summary>
    public static unsafe void UnblockAll()
    {
        sigset_t none;
        LibC.sigemptyset(&none);
        if (LibC.sigprocmask(LibC.SIG_SETMASK, &none, null) == -1)
        {
            throw SystemCallFailure.FromLastError("sigprocmask(SIG_SETMASK, {})");
        }
    }
}
