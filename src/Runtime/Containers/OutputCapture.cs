using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// A pipe that captures what an exec'd process writes (give <see cref="WriteEnd"/> as its
/// <see cref="ExecSpec.StandardOutput"/> and <see cref="ExecSpec.StandardError"/>), read while it runs so that it never
/// blocks on a full pipe, keeping the first <see cref="MaxBytes"/>: for a health check's output in a message.
/// </summary>
/// <remarks>
/// The capture ends when <see cref="StopAsync"/> says so, once the process has ended, not at end-of-file: a process
/// that left a child behind holding the pipe (<c>sh -c 'daemon &amp;'</c>) would otherwise hold the reader too. When
/// the process has ended, everything it wrote is in the pipe, so nothing of its own output is lost. The reader waits
/// in <c>poll</c> on the pipe and on a stop pipe, so it ends when told, whatever the processes in the container do.
/// </remarks>
public sealed class OutputCapture : IDisposable
{
    private readonly int _read;
    private readonly int _stopRead;
    private readonly int _stopWrite;
    private readonly MemoryStream _captured = new();
    private readonly Task _reader;
    private bool _truncated;
    private int _stopped;

    /// <param name="maxBytes">What is kept; the rest is read and dropped.</param>
    public unsafe OutputCapture(int maxBytes = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        MaxBytes = maxBytes;
        var output = stackalloc int[2];
        var stop = stackalloc int[2];
        if (LibC.pipe2(output, LibC.O_CLOEXEC) != 0)
        {
            throw new IOException($"pipe2 failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        if (LibC.pipe2(stop, LibC.O_CLOEXEC | LibC.O_NONBLOCK) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.close(output[0]);
            LibC.close(output[1]);
            throw new IOException($"pipe2 failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // Only the host's end is non-blocking (a flag of each end's own): the process writes as to any pipe.
        _ = LibC.fcntl(output[0], LibC.F_SETFL, LibC.fcntl(output[0], LibC.F_GETFL) | LibC.O_NONBLOCK);
        _read = output[0];
        WriteEnd = new SafeFileHandle(output[1], ownsHandle: true);
        _stopRead = stop[0];
        _stopWrite = stop[1];
        _reader = Task.Factory.StartNew(Read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int MaxBytes { get; }

    /// <summary>The end the process writes to; the capture holds it open until disposed.</summary>
    public SafeFileHandle WriteEnd { get; }

    /// <summary>
    /// Ends the capture (call it once the process has ended): reads what is left in the pipe and returns what was
    /// captured, as UTF-8 text, and whether more was written than was kept.
    /// </summary>
    public async Task<(string Text, bool Truncated)> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            SignalStop();
        }

        await _reader.ConfigureAwait(false);
        return (Encoding.UTF8.GetString(_captured.GetBuffer(), 0, (int)_captured.Length), _truncated);
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        LibC.close(_read);
        LibC.close(_stopRead);
        LibC.close(_stopWrite);
        WriteEnd.Dispose();
    }

    private unsafe void SignalStop()
    {
        byte one = 1;
        _ = LibC.write(_stopWrite, &one, 1);
    }

    private unsafe void Read()
    {
        var buffer = stackalloc byte[4096];
        var descriptors = stackalloc pollfd[2];
        descriptors[0] = new pollfd { fd = _read, events = LibC.POLLIN };
        descriptors[1] = new pollfd { fd = _stopRead, events = LibC.POLLIN };
        while (true)
        {
            if (LibC.poll(descriptors, 2, -1) == -1 && Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                return;
            }

            // Whatever is in the pipe now, then either end-of-file, or the stop, or wait for more.
            while (true)
            {
                long n = LibC.read(_read, buffer, 4096);
                if (n == 0)
                {
                    return;
                }

                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    if (errno != LibC.EAGAIN)
                    {
                        return;
                    }

                    break;
                }

                Keep(new ReadOnlySpan<byte>(buffer, (int)n));
            }

            if ((descriptors[1].revents & LibC.POLLIN) != 0)
            {
                return;
            }
        }
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        var room = MaxBytes - (int)_captured.Length;
        _captured.Write(data[..Math.Min(room, data.Length)]);
        _truncated |= data.Length > room;
    }
}
