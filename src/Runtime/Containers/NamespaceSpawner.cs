using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// Starts a process in new namespaces, or in a running container's. <c>unshare</c> and <c>setns</c> act on the calling
/// thread, so a dedicated thread unshares or joins and then starts the process, which the kernel forks from that
/// thread: the child is PID 1 of the new PID namespace (or a member of the joined one) and inherits the thread's
/// mount, UTS, IPC, network and cgroup namespaces; the host keeps its own.
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
    /// Starts the process in existing namespaces: a new thread joins each of <paramref name="namespaces"/> (open
    /// namespace files with their <c>CLONE_NEW*</c> type; files the caller keeps open until this returns), the PID
    /// namespace last, starts the process and ends. The mount namespace cannot be joined this way (the thread would
    /// have to give up the host's files, from which the process starts), nor a user namespace (never by a
    /// multithreaded process). The process does not ask for a parent-death signal: its parent thread ends at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A namespace could not be joined.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The process could not be started; ENOMEM when the PID namespace has no init left.</exception>
    public static Process StartIn(ProcessStartInfo startInfo, IReadOnlyList<(SafeFileHandle File, int Type)> namespaces)
    {
        _ = s_processMachineryStarted.Value;
        var joins = namespaces.OrderBy(n => n.Type == LibC.CLONE_NEWPID).ToList();
        Process? process = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                foreach (var (file, type) in joins)
                {
                    if (LibC.setns((int)file.DangerousGetHandle(), type) != 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        throw new InvalidOperationException($"setns(0x{type:x}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
                    }
                }

                // After setns(CLONE_NEWPID) this thread cannot create threads either (see StartProcessMachinery).
                process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start.");
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            Name = "berth-exec-parent",
            IsBackground = true,
        };

        thread.Start();
        thread.Join();
        return failure is null ? process! : throw failure;
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
