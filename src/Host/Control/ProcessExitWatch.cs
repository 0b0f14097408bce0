using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Host.Control;

/// <summary>
/// Waits for a process that is not this one's child to end, through a pidfd (<c>pidfd_open</c>, Linux 5.3): it
/// becomes readable when the process ends, and it names that process even if its PID is reused.
/// </summary>
internal sealed class ProcessExitWatch : IDisposable
{
    // The same number on every architecture (the syscall table was unified from 403 on).
    private const int SysPidfdOpen = 434;
    private const short PollIn = 1;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SafeFileHandle? _pidfd;

    private ProcessExitWatch(SafeFileHandle? pidfd) => _pidfd = pidfd;

    /// <summary>Watches <paramref name="pid"/> from now on; a process that has already ended counts as ended.</summary>
    /// <exception cref="IOException">The kernel cannot watch it (no pidfd_open: Linux before 5.3).</exception>
    public static ProcessExitWatch Open(int pid)
    {
        var fd = (int)(long)LibC.syscall(SysPidfdOpen, pid, 0);
        if (fd >= 0)
        {
            return new ProcessExitWatch(new SafeFileHandle(fd, ownsHandle: true));
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == LibC.ESRCH ? new ProcessExitWatch(null) : throw new IOException($"pidfd_open({pid}) failed: {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    /// <summary>Completes when the process has ended.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _pidfd is null
        ? Task.CompletedTask
        : Task.Factory.StartNew(() => Wait(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _pidfd?.Dispose();

    private void Wait(CancellationToken cancellationToken)
    {
        var watched = new PollDescriptor { Fd = _pidfd!.DangerousGetHandle().ToInt32(), Events = PollIn };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ready = poll(ref watched, 1, (int)s_pollInterval.TotalMilliseconds);
            if (ready > 0)
            {
                return;
            }

            if (ready < 0 && Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw new IOException($"poll on a pidfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int poll(ref PollDescriptor fds, nuint count, int timeout);
}
