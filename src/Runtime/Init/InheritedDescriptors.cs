using System.Globalization;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The descriptors the init inherited from the host beyond standard input, output and error (a pipe of a test
/// runner, a socket of a service manager). They are the ones without close-on-exec: a descriptor that has it does
/// not survive the <c>execve</c> that started the init, and the .NET runtime opens all of its own with it.
/// </summary>
internal static class InheritedDescriptors
{
    /// <summary>
    /// Closes them. Marking them close-on-exec keeps them from a service that replaces the init, but an init that
    /// stays as PID 1 would hold them for the container's life.
    /// </summary>
    public static void Close()
    {
        var descriptors = Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(path => int.Parse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture))
            .Where(fd => fd > 2)
            .ToList();
        foreach (var fd in descriptors)
        {
            // -1 for the descriptor the listing itself used, closed by now.
            var flags = LibC.fcntl(fd, LibC.F_GETFD);
            if (flags != -1 && (flags & LibC.FD_CLOEXEC) == 0)
            {
                LibC.close(fd);
            }
        }
    }
}
