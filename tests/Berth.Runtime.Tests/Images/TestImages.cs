using System.Diagnostics;

namespace Berth.Runtime.Tests.Images;

/// <summary>Images made in the test run: a busybox layer as a tar, and busybox OCI layouts made by umoci.</summary>
internal static class TestImages
{
    private static readonly Lazy<byte[]> s_busyboxLayer = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("berth-busybox-").FullName;
        try
        {
            BusyboxTree.Create(directory);
            return new TarBuilder().Tree(directory).Build();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    });

    /// <summary>A layer holding the busybox tree of <see cref="BusyboxTree"/> (uncompressed tar).</summary>
    public static byte[] BusyboxLayer => s_busyboxLayer.Value;

    /// <summary>
    /// An OCI layout at <paramref name="layout"/> whose image <c>bb</c> umoci made: the busybox tree as its one layer,
    /// <c>/bin/sh -c</c> as its entry point, and the given command, environment, user and working directory.
    /// </summary>
    public static void CreateWithUmoci(string layout, string scratch, params string[] configArguments)
    {
        var umoci = RequiredTool.Find("umoci", "umoci");
        Run(umoci, "init", "--layout", layout);
        Run(umoci, "new", "--image", layout + ":bb");
        var bundle = Path.Combine(scratch, "bundle");
        Run(umoci, "unpack", "--image", layout + ":bb", bundle);
        BusyboxTree.Create(Path.Combine(bundle, "rootfs"));
        Run(umoci, "repack", "--image", layout + ":bb", bundle);
        Run(umoci, ["config", "--image", layout + ":bb", .. configArguments]);
        Directory.Delete(bundle, recursive: true);
    }

    /// <summary>Runs a tool to its end; fails the test with its output when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output}");
        return output;
    }
}
