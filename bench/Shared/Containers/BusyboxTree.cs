using System.Diagnostics;
using Berth.Runtime.Filesystem;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// A root file system of nothing but busybox: the static busybox on PATH copied to <c>/bin/busybox</c>, and a
/// symbolic link to it per applet at the paths <c>busybox --list-full</c> gives (<c>bin/true</c>,
/// <c>usr/bin/env</c>, …), the layout the runtime's tests use.
/// </summary>
internal static class BusyboxTree
{
    /// <summary>Writes the tree into <paramref name="root"/> (made if missing).</summary>
    /// <returns>The busybox in the tree.</returns>
    public static string Create(string root)
    {
        var busybox = FindStaticBusybox();
        var bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        var copy = Path.Combine(bin, "busybox");
        File.Copy(busybox, copy);

        foreach (var applet in Applets(busybox).Where(a => a != "bin/busybox"))
        {
            var link = Path.Combine(root, applet);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (!Path.Exists(link))
            {
                File.CreateSymbolicLink(link, "/bin/busybox");
            }
        }

        return copy;
    }

    /// <summary>busybox on PATH, which must be static: the tree holds no libraries.</summary>
    public static string FindStaticBusybox()
    {
        var busybox = ToolLocator.Find("busybox")
            ?? throw new BenchSetupException("busybox is missing: install a static one (Debian: apt-get install busybox-static).");
        return ElfInterpreter.Read(busybox) is { } interpreter
            ? throw new BenchSetupException($"{busybox} is dynamically linked (interpreter {interpreter}); the image needs a static busybox (Debian: busybox-static).")
            : busybox;
    }

    /// <summary>Every applet's path in the tree, as <c>busybox --list-full</c> gives them.</summary>
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
