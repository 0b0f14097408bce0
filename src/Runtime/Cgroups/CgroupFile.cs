using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Reads and writes cgroup interface files. Writes go through a single <c>write(2)</c>: the kernel parses each
/// write to a cgroup file as one complete value, so a buffered writer that split a value would corrupt it, and
/// the errno (EINVAL, EBUSY, ESRCH...) is what explains a refused value.
/// </summary>
internal static class CgroupFile
{
    public static bool Exists(string path) => File.Exists(path);

    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"Cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>The content, or null when the file does not exist (a controller or kernel feature that is absent).</summary>
    public static string? ReadIfExists(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"Cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>A file holding one number; "max" (v2) reads as <see cref="long.MaxValue"/>.</summary>
    public static long ReadNumber(string path) => ParseNumber(Read(path), path);

    public static long? ReadNumberIfExists(string path) =>
        ReadIfExists(path) is { } text ? ParseNumber(text, path) : null;

    /// <summary>
    /// A flat keyed file: one "key value" pair per line (cpu.stat, memory.events, memory.oom_control, pids.events).
    /// </summary>
    public static IReadOnlyDictionary<string, long> ReadKeyedIfExists(string path)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (ReadIfExists(path) is not { } text)
            return values;

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], out var value))
                values[parts[0]] = value;
        }

        return values;
    }

    /// <summary>The process ids listed in a <c>cgroup.procs</c> file, or none when the cgroup does not exist.</summary>
    public static IReadOnlyList<int> ReadProcessIds(string procsPath)
    {
        var text = ReadIfExists(procsPath);
        if (text is null)
            return [];

        var pids = new List<int>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, out var pid))
                pids.Add(pid);
        }

        return pids;
    }

    public static void Write(string path, string value)
    {
        var errno = TryWrite(path, value);
        if (errno != 0)
        {
            throw new CgroupException($"Cannot write \"{value}\" to {path}: {Describe(errno)}")
            {
                Errno = errno,
            };
        }
    }

    /// <summary>Writes the value with one <c>write(2)</c>; returns 0 or the errno of the failure.</summary>
    public static unsafe int TryWrite(string path, string value)
    {
        var pathBytes = NullTerminated(path);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        int fd;
        fixed (byte* p = pathBytes)
        {
            // O_TRUNC changes nothing on a kernel interface file, but keeps a plain file (a test layout) exact.
            do
            {
                fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
            }
            while (fd < 0 && errno == EINTR);
        }

        if (fd < 0)
            return errno;

        try
        {
            fixed (byte* v = valueBytes)
            {
                ssize_t written;
                do
                {
                    written = write(fd, v, valueBytes.Length);
                }
                while (written < 0 && errno == EINTR);

                if (written < 0)
                    return errno;
                return written == valueBytes.Length ? 0 : EIO;
            }
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>Creates a directory; returns 0, or the errno (EEXIST when it is already there).</summary>
    public static unsafe int TryMakeDirectory(string path)
    {
        fixed (byte* p = NullTerminated(path))
        {
            return mkdir(p, 0755) == 0 ? 0 : errno;
        }
    }

    /// <summary>Removes an (empty) cgroup directory; returns 0 or the errno.</summary>
    public static unsafe int TryRemoveDirectory(string path)
    {
        fixed (byte* p = NullTerminated(path))
        {
            return rmdir(p) == 0 ? 0 : errno;
        }
    }

    /// <summary>The C library's text for an errno, e.g. "Device or resource busy".</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    private static long ParseNumber(string text, string path)
    {
        var trimmed = text.Trim();
        if (trimmed == "max")
            return long.MaxValue;
        if (long.TryParse(trimmed, out var value))
            return value;
        throw new CgroupException($"{path} holds \"{trimmed}\", not a number");
    }

    private static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
