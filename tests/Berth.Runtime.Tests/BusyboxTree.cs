using System.Diagnostics;

namespace Berth.Runtime.Tests;

/// <summary>
/// A minimal image: a static busybox at <c>/bin/busybox</c> and a symlink to it for every applet, at the paths
/// <c>busybox --list-full</c> gives (what <c>busybox --install -s</c> does, without busybox needing to know where
/// it will live), plus <c>/etc/os-release</c>. No <c>/proc</c>, <c>/dev</c> or <c>/tmp</c>: the init layer supplies
/// mount points.
/// </summary>
internal static class BusyboxTree
{
    public static void Create(string directory)
    {
        var busybox = RequiredTool.Find("busybox", "busybox-static");
        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        File.Copy(busybox, Path.Combine(bin, "busybox"));

        foreach (var applet in ListApplets(busybox))
        {
            var link = Path.Combine(directory, applet);
            if (File.Exists(link) || Directory.Exists(link) || applet == "bin/busybox")
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, "/bin/busybox");
        }

        Directory.CreateDirectory(Path.Combine(directory, "etc"));
        File.WriteAllText(Path.Combine(directory, "etc", "os-release"), "NAME=busybox\n");
    }

    private static string[] ListApplets(string busybox)
    {
        var start = new ProcessStartInfo(busybox, "--list-full") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("busybox did not start.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"busybox --list-full exited with {process.ExitCode}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
