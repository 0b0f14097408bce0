using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Runtime.Filesystem;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Security;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The first process of every container. It starts in the container's new namespaces, connects to the host,
/// waits for its instructions (the host first puts it into the container's cgroup), prepares the container
/// from inside and replaces itself with the service by <c>execve</c> or, in init mode, starts the service as its
/// child and stays (<see cref="ServiceSupervisor"/>). Every failure goes back to the host as a reason, so a bad
/// spec is a clear error rather than a hang.
/// </summary>
public static class InitProcess
{
    /// <summary>
    /// Entry point of the init executable: <c>berth-init --socket PATH</c> starts a container, <c>berth-init --exec
    /// PATH</c> runs a further process in a running one (<see cref="ExecMode"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--exec", var execSocketPath])
        {
            return ExecMode.Run(execSocketPath);
        }

        if (args is not ["--socket", var socketPath])
        {
            Console.Error.WriteLine("usage: berth-init --socket PATH | --exec PATH (started by the Berth runtime, not by hand)");
            return 2;
        }

        // If the host dies, so does the container. Set before reaching the host: a host that died earlier
        // cannot be reached, and this init then exits by itself.
        DieWithParent();

        // A session of its own, without a terminal, as runc gives a container: Ctrl+C in the host's terminal signals
        // the host, which stops the containers in order, rather than every container at once.
        _ = LibC.setsid();

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"berth-init: cannot reach the host at {socketPath}: {e.Message}");
            return 125;
        }

        var instructions = InitChannel.Receive(socket, InitJsonContext.Default.InitInstructions);
        if (instructions is null)
        {
            // The host went away before saying what to run; nothing to do.
            return 125;
        }

        var stage = "start";
        try
        {
            stage = "cgroup namespace";
            EnterCgroupNamespace();
            stage = "hostname";
            SetHostname(instructions.Hostname);
            if (instructions.FilesystemPlan is { } plan)
            {
                // After pivot_root the host's files are gone, so a managed init loads all it will need first.
                ManagedAssemblies.LoadAll();
                stage = "filesystem";
                ContainerFilesystem.Setup(ContainerFilesystemPlan.FromJson(plan));
            }
            else
            {
                stage = "proc";
                MountProc();
            }

            // The kernel clears the parent-death signal when the effective user or group changes (prctl(2)). Ask
            // again; a host that died in between has closed its end of the socket, which shows here.
            var hostThere = ProcessConfinement.Apply(instructions.Service.WorkingDirectory, instructions.Privileges, step => stage = step, () =>
            {
                DieWithParent();
                return !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
            });
            if (!hostThere)
            {
                return 125;
            }

            stage = "exec";
            if (instructions.Init)
            {
                return ServiceSupervisor.Run(instructions, socket);
            }

            InitChannel.Send(socket, InitReport.ExecutingNow, InitJsonContext.Default.InitReport);
            Execute(instructions);
            return 127; // Unreachable: Execute returns only by throwing.
        }
        catch (Exception e)
        {
            InitChannel.Send(socket, InitReport.Failed(stage, e.Message), InitJsonContext.Default.InitReport);
            return 126;
        }
    }

    private static void DieWithParent()
    {
        const int PrSetPdeathsig = 1;
        var prctl = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "prctl");
        if ((long)LibC.syscall(prctl, PrSetPdeathsig, LibC.SIGKILL, 0, 0, 0) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            Console.Error.WriteLine($"berth-init: prctl(PR_SET_PDEATHSIG) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            Environment.Exit(125);
        }
    }

    /// <summary>
    /// Now that the host has put this process into the container's cgroup, a new cgroup namespace makes that
    /// cgroup the root the service sees in /proc/self/cgroup; the service (execve'd from this thread) keeps it.
    /// </summary>
    private static void EnterCgroupNamespace() => Check(LibC.unshare(LibC.CLONE_NEWCGROUP), "unshare(CLONE_NEWCGROUP)");

    private static unsafe void SetHostname(string hostname)
    {
        var bytes = Encoding.UTF8.GetBytes(hostname);
        fixed (byte* name = bytes)
        {
            Check(LibC.sethostname(name, bytes.Length), $"sethostname('{hostname}')");
        }
    }

    /// <summary>
    /// A /proc that shows the container's own processes must be mounted from inside its PID namespace. Mounts
    /// are made private first so that nothing done here propagates back to the host.
    /// </summary>
    private static unsafe void MountProc()
    {
        fixed (byte* root = "/\0"u8, none = "none\0"u8, proc = "proc\0"u8, target = "/proc\0"u8)
        {
            Check(LibC.mount(none, root, null, LibC.MS_REC | LibC.MS_PRIVATE, null), "make mounts private");
            Check(LibC.mount(proc, target, proc, LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, null), "mount /proc");
        }
    }

    private static void Execute(InitInstructions instructions)
    {
        using var command = new ServiceCommand(instructions.Service);
        command.ReplaceThisProcess();
    }

    private static void Check(int result, string what) => ProcessConfinement.Check(result, what);
}
