using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Benchmarks.ContainerStart.Processes;

/// <summary>
/// crun 1.8 refuses a hybrid cgroup host ("cgroups in hybrid mode not supported, drop all controllers from
/// cgroupv2") when the cgroup2 mount lists any controller (here: hugetlb). It runs fine when that list looks empty.
/// A dedicated thread unshares its mount namespace, makes it private, and binds an empty file over the cgroup2
/// mount's <c>cgroup.controllers</c>; crun is started from that thread, so it sees the empty list and the host sees
/// nothing. This costs crun nothing per run: no wrapper process, and the hand-over between two harness threads
/// is not timed (see <see cref="IProcessLauncher"/>).
/// </summary>
internal sealed class HybridCgroupWorkaround : IProcessLauncher, IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<(Process, long)> Started)> _requests = [];
    private readonly Thread _thread;

    private HybridCgroupWorkaround(string emptyFile, string controllersFile)
    {
        using var ready = new ManualResetEventSlim();
        Exception? failure = null;
        _thread = new Thread(() =>
        {
            try
            {
                EnterPrivateMountNamespace(emptyFile, controllersFile);
            }
            catch (Exception e)
            {
                failure = e;
            }

            ready.Set();
            if (failure is null)
            {
                Serve();
            }
        })
        {
            Name = "bench-crun-launcher",
            IsBackground = true,
        };
        _thread.Start();
        ready.Wait();
        if (failure is not null)
        {
            throw new BenchSetupException($"Cannot hide the cgroup2 controllers from crun: {failure.Message}");
        }
    }

    /// <summary>The cgroup2 <c>cgroup.controllers</c> crun would object to, or null when crun needs no help here.</summary>
    public static string? ControllersFileToHide(CgroupLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Mode != CgroupMode.Hybrid || layout.Unified is not { } unified)
        {
            return null;
        }

        var controllers = Path.Combine(unified.MountPoint, "cgroup.controllers");
        return File.Exists(controllers) && File.ReadAllText(controllers).Trim().Length > 0 ? controllers : null;
    }

    /// <summary>A launcher for crun: the workaround when this host needs it, else the calling thread.</summary>
    public static IProcessLauncher For(CgroupLayout layout, string emptyFile)
    {
        if (ControllersFileToHide(layout) is not { } controllers)
        {
            return DirectLauncher.Instance;
        }

        if (!File.Exists(emptyFile))
        {
            File.WriteAllBytes(emptyFile, []);
        }

        return new HybridCgroupWorkaround(emptyFile, controllers);
    }

    public Task<(Process Process, long StartTimestamp)> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<(Process, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((startInfo, started));
        return started.Task;
    }

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
    }

    private static void EnterPrivateMountNamespace(string emptyFile, string controllersFile)
    {
        // CLONE_NEWNS on one thread of a multithreaded process is allowed (the kernel unshares that thread's
        // filesystem attributes with it); only this thread and what it forks see the new namespace.
        if (LibC.unshare(LibC.CLONE_NEWNS) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"unshare(CLONE_NEWNS) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // Private first, so that the bind below never propagates to the host's namespace.
        Mounts.MakePrivate("/");
        Mounts.Bind(emptyFile, controllersFile);
    }

    private void Serve()
    {
        foreach (var (startInfo, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(DirectLauncher.Start(startInfo));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
