using System.Text;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// Writes the init's messages to descriptor 2 directly. In init mode System.Console must stay unused: on Unix its
/// first write sets up terminal handling, which installs a SIGCHLD handler, and in a process whose PID is 1 that
/// handler reaps every child (so says .NET's pal_signal.c), which would take the service's exit status from the init.
/// </summary>
internal static class RawStandardError
{
    public static unsafe void WriteLine(string message)
    {
        var bytes = Encoding.UTF8.GetBytes($"berth-init: {message}\n");
        fixed (byte* start = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = (long)LibC.write(2, start + written, bytes.Length - written);
                if (n <= 0 && LibC.errno != LibC.EINTR)
                {
                    return; // Nowhere left to say it.
                }

                written += (int)Math.Max(n, 0);
            }
        }
    }
}
