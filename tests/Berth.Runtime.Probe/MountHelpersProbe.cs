using System.Text;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>mounts WORKDIR</c> verb: exercises each <see cref="Mounts"/> helper below WORKDIR, on a thread that has a
/// private mount namespace of its own (so nothing reaches the host and it all vanishes with the thread), and
/// reports what the kernel then shows, one named outcome per check.
/// </summary>
internal static class MountHelpersProbe
{
    private const int Erofs = 30;

    public static int Run(string workDirectory)
    {
        var outcomes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.unshare(LibC.CLONE_NEWNS) == -1)
                    throw new InvalidOperationException($"unshare(CLONE_NEWNS) failed with errno {LibC.errno}");
                Mounts.MakePrivate("/");
                Check(workDirectory, outcomes);
            }
            catch (Exception e) when (e is MountException or IOException or InvalidOperationException or ArgumentException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
        })
        { Name = "berth-probe-mounts" };
        thread.Start();
        thread.Join();

        ProbeOutput.Write(new { failure, outcomes });
        return 0;
    }

    private static void Check(string work, SortedDictionary<string, string> outcomes)
    {
        string Dir(string name)
        {
            var path = Path.Combine(work, name);
            Directory.CreateDirectory(path);
            return path;
        }

        // Bind: the target shows the source's files.
        var source = Dir("source");
        File.WriteAllText(Path.Combine(source, "file"), "from source");
        var bound = Dir("bound");
        Mounts.Bind(source, bound);
        outcomes["bind.read"] = File.ReadAllText(Path.Combine(bound, "file"));

        // Read-only bind: writes through it fail with EROFS, the source stays writable.
        var readOnly = Dir("read-only");
        Mounts.BindReadOnly(source, readOnly);
        outcomes["bindReadOnly.write"] = WriteOutcome(Path.Combine(readOnly, "new"));
        outcomes["bindReadOnly.sourceWrite"] = WriteOutcome(Path.Combine(source, "new"));
        outcomes["bindReadOnly.flags"] = MountFlagsText.Format(Mounts.CurrentFlags(readOnly));

        // A bind of a nosuid,nodev,noexec mount made read-only keeps those flags.
        var hardened = Dir("hardened");
        Mounts.MountTmpfs(hardened, flags: MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        var hardenedReadOnly = Dir("hardened-read-only");
        Mounts.BindReadOnly(hardened, hardenedReadOnly);
        outcomes["remount.keepsFlags"] = MountFlagsText.Format(Mounts.CurrentFlags(hardenedReadOnly));

        // Recursive read-only bind: the mount below the source is read-only through the bind too.
        var tree = Dir("tree");
        var below = Path.Combine(tree, "below");
        Directory.CreateDirectory(below);
        Mounts.MountTmpfs(below);
        var treeReadOnly = Dir("tree-read-only");
        Mounts.BindReadOnly(tree, treeReadOnly, recursive: true);
        outcomes["recursiveReadOnly.belowWrite"] = WriteOutcome(Path.Combine(treeReadOnly, "below", "new"));
        outcomes["recursiveReadOnly.sourceBelowWrite"] = WriteOutcome(Path.Combine(below, "new"));

        // tmpfs: size cap and root mode as asked.
        var sized = Dir("sized");
        Mounts.MountTmpfs(sized, sizeBytes: 1 << 20, mode: 0x1E8); // octal 750
        outcomes["tmpfs.bytes"] = TotalBytes(sized).ToString(System.Globalization.CultureInfo.InvariantCulture);
        outcomes["tmpfs.mode"] = ModeOf(sized);

        // Overlay: writes land in the upper directory, the lower one is unchanged.
        var lower = Dir("lower");
        File.WriteAllText(Path.Combine(lower, "lower-file"), "lower");
        var upper = Dir("upper");
        var overlayWork = Dir("overlay-work");
        var merged = Dir("merged");
        Mounts.MountOverlay(merged, [lower], upper, overlayWork);
        File.WriteAllText(Path.Combine(merged, "written"), "merged");
        File.AppendAllText(Path.Combine(merged, "lower-file"), " changed");
        outcomes["overlay.upper"] = string.Join(",", Directory.GetFiles(upper).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        outcomes["overlay.lower"] = string.Join(",", Directory.GetFiles(lower).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        outcomes["overlay.lowerContent"] = File.ReadAllText(Path.Combine(lower, "lower-file"));

        // Overlay without an upper directory: read-only.
        var lowerTop = Dir("lower-top");
        var mergedReadOnly = Dir("merged-read-only");
        Mounts.MountOverlay(mergedReadOnly, [lowerTop, lower]);
        outcomes["overlayReadOnly.write"] = WriteOutcome(Path.Combine(mergedReadOnly, "new"));
        outcomes["overlayReadOnly.read"] = File.ReadAllText(Path.Combine(mergedReadOnly, "lower-file"));

        // devpts newinstance: its own ptmx, usable by anyone.
        var pts = Dir("pts");
        Mounts.MountDevpts(pts);
        outcomes["devpts.ptmxMode"] = ModeOf(Path.Combine(pts, "ptmx"));

        var sys = Dir("sys");
        Mounts.MountSysfs(sys);
        outcomes["sysfs.flags"] = MountFlagsText.Format(Mounts.CurrentFlags(sys));
        outcomes["sysfs.hasKernel"] = Directory.Exists(Path.Combine(sys, "kernel")).ToString();

        var mqueue = Dir("mqueue");
        Mounts.MountMqueue(mqueue);
        outcomes["mqueue.flags"] = MountFlagsText.Format(Mounts.CurrentFlags(mqueue));

        // Unmount: the directory shows what was under the mount again.
        Mounts.Unmount(bound);
        outcomes["unmount.entries"] = Directory.GetFileSystemEntries(bound).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Errors name the call, its arguments and the errno's text.
        try
        {
            Mounts.MountTmpfs(Path.Combine(work, "missing"), sizeBytes: 4096, flags: MountFlags.NoSuid);
            outcomes["error.message"] = "no error";
        }
        catch (MountException e)
        {
            outcomes["error.message"] = e.Message;
            outcomes["error.errno"] = e.Errno.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The mounts this thread sees below the work directory: the host sees none of them.
        outcomes["mountTable.count"] = MountTable.MountPointsBelow(work).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static unsafe string WriteOutcome(string path)
    {
        fixed (byte* bytes = Encoding.UTF8.GetBytes(path + "\0"))
        {
            var fd = LibC.open(bytes, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_CLOEXEC, 0x1A4);
            if (fd == -1)
                return LibC.errno == Erofs ? "EROFS" : $"errno {LibC.errno}";
            LibC.close(fd);
            return "written";
        }
    }

    private static unsafe string ModeOf(string path)
    {
        stat status;
        fixed (byte* bytes = Encoding.UTF8.GetBytes(path + "\0"))
        {
            if (LibC.lstat(bytes, &status) == -1)
                throw new IOException($"lstat failed with errno {LibC.errno}");
        }

        return Convert.ToString((ushort)status.st_mode & 0xFFF, 8);
    }

    private static unsafe ulong TotalBytes(string path)
    {
        statvfs status;
        fixed (byte* bytes = Encoding.UTF8.GetBytes(path + "\0"))
        {
            if (LibC.statvfs(bytes, &status) == -1)
                throw new IOException($"statvfs failed with errno {LibC.errno}");
        }

        return (ulong)status.f_blocks * (ulong)status.f_frsize;
    }
}
