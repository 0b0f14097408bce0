using System.Net.Sockets;
using Berth.Runtime.Security;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The init in exec mode (<c>berth-init --exec PATH</c>): becomes a further process of a running container, with the
/// same restrictions as its service. The host starts it from a thread that has joined the container's PID, UTS, IPC,
/// network and cgroup namespaces, so it is born in them; it still sees the host's files, which is what lets it start
/// at all (its program and, for the managed build, the .NET runtime are not in the container). It connects to the
/// host; the host puts it into the container's cgroup and passes it the container's mount namespace and the standard
/// streams as descriptors (<see cref="DescriptorPassing"/>), then the command. It joins the mount namespace (the
/// container's root, <c>/proc</c>, masks and secrets), changes directory, takes the same confinement steps as the init
/// (<see cref="ProcessConfinement"/>: descriptors, capabilities and user, no_new_privs, seccomp) and <c>execve</c>s the
/// command, reporting every failure on the way as the init does.
/// </summary>
/// <remarks>
/// No parent-death signal: the host's thread that started it ends at once, and the kernel would count that as the
/// parent's death. It needs none: it is in the container's PID namespace from its first instruction, and the kernel
/// kills every process of a PID namespace when its PID 1 ends, which the container's does when its host dies.
/// </remarks>
internal static class ExecMode
{
    /// <summary>The descriptors the host passes, in this order.</summary>
    private const int MountNamespace = 0;
    private const int StandardStreams = 1;
    private const int DescriptorCount = 4;

    public static int Run(string socketPath)
    {
        // Born in the container's PID namespace, as root with every capability and the host's files in view: not
        // dumpable, so that no process of the container may look into it through /proc (its root, its descriptors,
        // its memory) without CAP_SYS_PTRACE, which the host refuses to exec beside (ExecLauncher). The execve makes
        // the program dumpable again, as any.
        try
        {
            SecuritySyscalls.CallPrctl(SecuritySyscalls.PrSetDumpable, 0, 0, "prctl(PR_SET_DUMPABLE, 0)");
        }
        catch (PrivilegeException e)
        {
            RawStandardError.WriteLine(e.Message);
            return 125;
        }

        // Not in the host's session: Ctrl+C in the host's terminal is for the host alone.
        _ = LibC.setsid();

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        int[]? descriptors;
        ExecInstructions? instructions;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));

            // The descriptors first, on the still blocking socket; then the command.
            descriptors = DescriptorPassing.Receive(socket, DescriptorCount);
            instructions = descriptors is null ? null : InitChannel.Receive(socket, InitJsonContext.Default.ExecInstructions);
        }
        catch (Exception e) when (e is SocketException or InvalidDataException or System.Text.Json.JsonException)
        {
            RawStandardError.WriteLine($"cannot get the command from the host at {socketPath}: {e.Message}");
            return 125;
        }

        if (instructions is null)
        {
            // The host went away before saying what to run; nothing to do.
            return 125;
        }

        var stage = "start";
        try
        {
            stage = "mount namespace";
            JoinMountNamespace(descriptors![MountNamespace]);
            ProcessConfinement.Apply(instructions.Process.WorkingDirectory, instructions.Privileges, step => stage = step);
            stage = "exec";
            using var command = new ServiceCommand(instructions.Process);
            InitChannel.Send(socket, InitReport.ExecutingNow, InitJsonContext.Default.InitReport);
            TakeStandardStreams(descriptors.AsSpan(StandardStreams, 3));
            command.ReplaceThisProcess();
            return 127; // Unreachable: it returns only by throwing.
        }
        catch (Exception e)
        {
            InitChannel.Send(socket, InitReport.Failed(stage, e.Message), InitJsonContext.Default.InitReport);
            return 126;
        }
    }

    /// <summary>
    /// Joins the container's mount namespace on this thread, the one that will <c>execve</c>. The kernel refuses
    /// <c>setns(CLONE_NEWNS)</c> to a thread that shares its filesystem attributes (root, working directory) with
    /// others, as every thread of a .NET process does, so this thread takes a copy of its own first; the runtime's
    /// other threads keep the host's view until the <c>execve</c> ends them. Joining sets the thread's root and working
    /// directory to the namespace's root: the container's, after its init's <c>pivot_root</c>.
    /// </summary>
    private static void JoinMountNamespace(int mountNamespace)
    {
        // A managed init is about to lose sight of the files it loads from.
        ManagedAssemblies.LoadAll();
        ProcessConfinement.Check(LibC.unshare(LibC.CLONE_FS), "unshare(CLONE_FS)");
        ProcessConfinement.Check(LibC.setns(mountNamespace, LibC.CLONE_NEWNS), "setns(CLONE_NEWNS)");
        LibC.close(mountNamespace);
    }

    /// <summary>
    /// Makes the passed descriptors standard input, output and error; <c>dup2</c> clears close-on-exec on the copies,
    /// and the originals, close-on-exec, go with the <c>execve</c>. Last before it, so the init's own messages until
    /// then go to the host rather than into the caller's streams.
    /// </summary>
    private static void TakeStandardStreams(ReadOnlySpan<int> streams)
    {
        for (var target = 0; target < streams.Length; target++)
        {
            if (LibC.dup2(streams[target], target) == -1)
            {
                throw SystemCallFailure.FromLastError($"dup2({streams[target]}, {target})");
            }
        }
    }
}
