using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// Run as the service of a Berth container: reports what the container shows it and tries what must fail, so a
/// test can check every isolation property from outside.
/// </summary>
internal static class IsolationProbe
{
    public static int Run(string hostPath)
    {
        var status = File.ReadLines("/proc/self/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);

        ProbeOutput.Write(new IsolationReport(
            Pid: Environment.ProcessId,
            Hostname: File.ReadAllText("/proc/sys/kernel/hostname").Trim(),
            Processes: Directory.EnumerateDirectories("/proc").Count(d => int.TryParse(Path.GetFileName(d), out _)),
            HostPathVisible: Path.Exists(hostPath),
            RootEntries: Directory.EnumerateFileSystemEntries("/").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!,
            NetworkInterfaces: File.ReadLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).ToList(),
            Uid: status["Uid"],
            Groups: status["Groups"],
            CapEff: status["CapEff"],
            CapBnd: status["CapBnd"],
            NoNewPrivs: status["NoNewPrivs"],
            Seccomp: status["Seccomp"],
            Calls: PrivilegedCalls.Attempt(),
            KcoreBytes: ReadLength("/proc/kcore"),
            RootWrite: TryWrite("/berth-probe-write"),
            TmpWrite: TryWrite("/tmp/berth-probe-write"),
            Secret: ReadSecret("/run/secrets/api_key"),
            EnvironmentNames: Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal).ToList(),
            Home: Environment.GetEnvironmentVariable("HOME")));
        return 0;
    }

    private static string ReadLength(string path)
    {
        try
        {
            return File.ReadAllBytes(path).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.GetType().Name;
        }
    }

    private static string TryWrite(string path)
    {
        try
        {
            File.WriteAllText(path, "x");
            return "written";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static SecretReport? ReadSecret(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var info = new FileInfo(path);
        return new SecretReport(File.ReadAllText(path), Convert.ToString((int)info.UnixFileMode, 8), Owner(path));
    }

    private static unsafe uint Owner(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        stat status;
        fixed (byte* p = bytes)
        {
            return LibC.stat(p, &status) == 0 ? (uint)status.st_uid : uint.MaxValue;
        }
    }
}

internal sealed record IsolationReport(
    int Pid,
    string Hostname,
    int Processes,
    bool HostPathVisible,
    List<string> RootEntries,
    List<string> NetworkInterfaces,
    string Uid,
    string Groups,
    string CapEff,
    string CapBnd,
    string NoNewPrivs,
    string Seccomp,
    PrivilegedCalls Calls,
    string KcoreBytes,
    string RootWrite,
    string TmpWrite,
    SecretReport? Secret,
    List<string> EnvironmentNames,
    string? Home);

internal sealed record SecretReport(string Content, string Mode, uint Owner);
