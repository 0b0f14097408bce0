using System.Diagnostics;
using Berth.Benchmarks.ContainerStart.Processes;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.ContainerStart;

/// <summary>
/// The image every contender runs: a static busybox at <c>/bin/busybox</c> and a symlink to it per applet, the
/// layout the runtime's tests use. The mount points the OCI runtimes would otherwise create in it are made up
/// front, so no contender changes the image another one runs. Outside the image, links named <c>true</c> and
/// <c>sleep</c> to the same file give the bare spawn the same binary and applet (busybox picks the applet by the
/// name it was started as).
/// </summary>
internal sealed record BusyboxImage(string Root, string HostTrue, string HostSleep)
{
    private static readonly string[] s_mountPoints = ["proc", "dev", "sys", "tmp"];

    public static BusyboxImage Create(BenchWorkspace workspace)
    {
        var busybox = FindStaticBusybox();
        var bin = Path.Combine(workspace.Image, "bin");
        Directory.CreateDirectory(bin);
        var imageBusybox = Path.Combine(bin, "busybox");
        File.Copy(busybox, imageBusybox);

        foreach (var applet in Applets(busybox).Where(a => a != "bin/busybox"))
        {
            var link = Path.Combine(workspace.Image, applet);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (!Path.Exists(link))
            {
                File.CreateSymbolicLink(link, "/bin/busybox");
            }
        }

        foreach (var mountPoint in s_mountPoints)
        {
            Directory.CreateDirectory(Path.Combine(workspace.Image, mountPoint));
        }

        Directory.CreateDirectory(workspace.HostLinks);
        var hostTrue = Path.Combine(workspace.HostLinks, "true");
        var hostSleep = Path.Combine(workspace.HostLinks, "sleep");
        File.CreateSymbolicLink(hostTrue, imageBusybox);
        File.CreateSymbolicLink(hostSleep, imageBusybox);
        return new BusyboxImage(workspace.Image, hostTrue, hostSleep);
    }

    /// <summary>busybox on PATH, which must be static: the image holds no libraries.</summary>
    private static string FindStaticBusybox()
    {
        var busybox = ToolLocator.Find("busybox")
            ?? throw new BenchSetupException("busybox is missing: install a static one (Debian: apt-get install busybox-static).");
        return ElfInterpreter.Read(busybox) is { } interpreter
            ? throw new BenchSetupException($"{busybox} is dynamically linked (interpreter {interpreter}); the image needs a static busybox (Debian: busybox-static).")
            : busybox;
    }

    /// <summary>Every applet's path in the image, as <c>busybox --list-full</c> gives them (<c>bin/true</c>, <c>usr/bin/env</c>, …).</summary>
    private static string[] Applets(string busybox)
    {
        using var list = Process.Start(new ProcessStartInfo(busybox, "--list-full") { RedirectStandardOutput = true })
            ?? throw new BenchSetupException($"{busybox} did not start.");
        var applets = list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        list.WaitForExit();
        return list.ExitCode == 0 && applets.Contains("bin/true") && applets.Contains("bin/sleep")
            ? applets
            : throw new BenchSetupException($"{busybox} --list-full exited with {list.ExitCode} or lacks true and sleep.");
    }
}
