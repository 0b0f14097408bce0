using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>Looks at the calling process's filesystem with plain system calls, so every failure shows its errno.</summary>
internal static class FilesystemInspection
{
    public static FilesystemView Inspect(FilesystemInspectionRequest request) => new()
    {
        ProcessId = Environment.ProcessId,
        Uid = LibC.getuid(),
        CurrentDirectory = Environment.CurrentDirectory,
        MountPoints = ReadMountPoints(),
        Exists = request.Exists.ToDictionary(path => path, RootfsExists),
        Listings = request.List.ToDictionary(path => path, List),
        Reads = request.Read.ToDictionary(path => path, Read),
        Writes = request.Write.ToDictionary(path => path, Write),
        Stats = request.Stat.ToDictionary(path => path, Stat),
        MountFlags = request.MountFlags.ToDictionary(path => path, FlagsOf),
        Ptmx = request.OpenPtmx ? OpenPtmx() : null,
        Command = request.Command is { Length: > 0 } command ? Run(command) : null,
        Runtime = request.Runtime ? RuntimeFacts() : null,
    };

    private static string[]? ReadMountPoints()
    {
        try
        {
            return MountTable.MountPoints().ToArray();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static unsafe bool RootfsExists(string path)
    {
        stat status;
        fixed (byte* bytes = Utf8(path))
            return LibC.lstat(bytes, &status) == 0;
    }

    private static string[]? List(string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static unsafe FileRead Read(string path)
    {
        int fd;
        fixed (byte* bytes = Utf8(path))
            fd = LibC.open(bytes, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd == -1)
            return new FileRead(null, 0, LibC.errno);
        try
        {
            var buffer = new byte[64 * 1024];
            var length = 0;
            fixed (byte* start = buffer)
            {
                while (length < buffer.Length)
                {
                    var count = (long)LibC.read(fd, start + length, (size_t)(buffer.Length - length));
                    if (count == -1)
                        return new FileRead(null, length, LibC.errno);
                    if (count == 0)
                        break;
                    length += (int)count;
                }
            }

            return new FileRead(Encoding.UTF8.GetString(buffer, 0, length), length, 0);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static unsafe int Write(string path)
    {
        int fd;
        fixed (byte* bytes = Utf8(path))
            fd = LibC.open(bytes, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC | LibC.O_CLOEXEC, 0x1A4);
        if (fd == -1)
            return LibC.errno;
        try
        {
            fixed (byte* text = "berth"u8)
                return (long)LibC.write(fd, text, 5) == -1 ? LibC.errno : 0;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static unsafe FileStatus Stat(string path)
    {
        stat status;
        fixed (byte* bytes = Utf8(path))
        {
            if (LibC.lstat(bytes, &status) == -1)
                return new FileStatus(null, null, 0, 0, LibC.errno);
        }

        var mode = (ushort)status.st_mode;
        var type = (mode & 0xF000) switch
        {
            0x8000 => "file",
            0x4000 => "directory",
            0xA000 => "symlink",
            0x2000 => "char",
            0x6000 => "block",
            0x1000 => "fifo",
            0xC000 => "socket",
            _ => "unknown",
        };
        return new FileStatus(type, Convert.ToString(mode & 0xFFF, 8), status.st_uid, status.st_gid, 0);
    }

    private static string FlagsOf(string path)
    {
        try
        {
            return MountFlagsText.Format(Mounts.CurrentFlags(path));
        }
        catch (MountException e)
        {
            return $"errno {e.Errno}";
        }
    }

    private static unsafe int OpenPtmx()
    {
        fixed (byte* bytes = "/dev/ptmx\0"u8)
        {
            var fd = LibC.open(bytes, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
            if (fd == -1)
                return LibC.errno;
            LibC.close(fd);
            return 0;
        }
    }

    private static CommandRun Run(string[] command)
    {
        try
        {
            var start = new ProcessStartInfo(command[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in command.Skip(1))
                start.ArgumentList.Add(argument);

            // What a container's process starts with: no variables naming host paths.
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin";
            start.Environment["HOME"] = "/tmp";
            start.Environment["DOTNET_EnableDiagnostics"] = "0";

            using var process = Process.Start(start) ?? throw new InvalidOperationException("The command did not start.");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new CommandRun(process.ExitCode, stdout, stderr.GetAwaiter().GetResult(), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new CommandRun(-1, "", "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static RuntimeFacts RuntimeFacts()
    {
        try
        {
            // ICU: culture data for de-DE comes from libicu (an invariant runtime would say "."). OpenSSL: .NET's
            // hashing on Linux goes through libcrypto.
            var separator = CultureInfo.GetCultureInfo("de-DE").NumberFormat.NumberDecimalSeparator;
            var invariant = AppContext.TryGetSwitch("System.Globalization.Invariant", out var on) && on;
            var hash = Convert.ToHexStringLower(SHA256.HashData("berth"u8));
            return new RuntimeFacts(RuntimeInformation.FrameworkDescription, RuntimeEnvironment.GetRuntimeDirectory(), separator, invariant, hash, null);
        }
        catch (Exception e) when (e is CultureNotFoundException or CryptographicException or DllNotFoundException or TypeInitializationException)
        {
            return new RuntimeFacts(RuntimeInformation.FrameworkDescription, RuntimeEnvironment.GetRuntimeDirectory(), "", false, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] Utf8(string path) => Encoding.UTF8.GetBytes(path + "\0");
}
