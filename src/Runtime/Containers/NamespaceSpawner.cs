using System.Diagnostics;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// Starts a process in new namespaces. <c>unshare</c> acts on the calling thread, so a dedicated thread
/// unshares and then starts the process, which the kernel forks from that thread: the child is PID 1 of the new
/// PID namespace and inherits the new mount, UTS, IPC and network namespaces; the host keeps its own.
/// </summary>
internal static class NamespaceSpawner
{
    /// <summary>PID, mount, UTS, IPC and network: what Docker gives every container. The init adds the cgroup namespace.</summary>
    public static readonly int ContainerNamespaces = LibC.CLONE_NEWPID | LibC.CLONE_NEWNS | LibC.CLONE_NEWUTS | LibC.CLONE_NEWIPC | LibC.CLONE_NEWNET;

    private static readonly Lazy<bool> s_processMachineryStarted = new(StartProcessMachinery, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Starts the process. Its parent is the spawning thread, which waits until <see cref="SpawnedProcess.Release"/>:
    /// the init asks for SIGKILL when its parent dies (PR_SET_PDEATHSIG), and the kernel means the parent
    /// thread, so the thread must live as long as the container and die only with the host.
    /// </summary>
    public static SpawnedProcess Start(ProcessStartInfo startInfo, int namespaces)
    {
        _ = s_processMachineryStarted.Value;
        Process? process = null;
        Exception? failure = null;
        using var started = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.unshare(namespaces) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new InvalidOperationException($"unshare failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
                }

                process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start.");
            }
            catch (Exception e)
            {
                failure = e;
            }

            started.Set();

            // After unshare(CLONE_NEWPID) this thread could never start another thread or a second process (the
            // new PID namespace would have no init), so it only waits, then ends.
            if (failure is null)
            {
                release.Wait();
            }

            release.Dispose();
        })
        {
            Name = "berth-container-parent",
            IsBackground = true,
        };

        thread.Start();
        started.Wait();
        return failure is null ? new SpawnedProcess(process!, release) : throw failure;
    }

    /// <summary>
    /// After unshare(CLONE_NEWPID) the thread can no longer create threads (the kernel refuses CLONE_THREAD when
    /// children would land in another PID namespace), but the first Process.Start with redirected streams starts
    /// the runtime's child-reaping and pipe-reading threads. Start them once, from an ordinary thread.
    /// </summary>
    private static bool StartProcessMachinery()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return true;
    }
}
