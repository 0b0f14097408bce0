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
    /// <summary>Entry point of the init executable: <c>berth-init --socket PATH</c>.</summary>
    public static int Main(string[] args)
    {
        if (args is not ["--socket", var socketPath])
        {
            Console.Error.WriteLine("usage: berth-init --socket PATH (started by the Berth runtime, not by hand)");
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
                LoadReferencedAssemblies();
                stage = "filesystem";
                ContainerFilesystem.Setup(ContainerFilesystemPlan.FromJson(plan));
            }
            else
            {
                stage = "proc";
                MountProc();
            }

            stage = "chdir";
            ChangeDirectory(instructions.WorkingDirectory);
            // Privileges go after everything that needs them (mounts, hostname) and before the filter, which
            // would deny the calls that drop them.
            stage = "descriptors";
            CloseInheritedDescriptors();

            stage = "privileges";
            CapabilityDropper.Apply(
                instructions.Capabilities.Select(LinuxCapabilityNames.Parse).ToList(),
                new UserIdentity(instructions.Uid, instructions.Gid, instructions.SupplementaryGroups));

            // The kernel clears the parent-death signal when the effective user or group changes (prctl(2)).
            // Ask again; a host that died in between has closed its end of the socket, which shows here.
            DieWithParent();
            if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
            {
                return 125;
            }

            // Also without a seccomp filter: no_new_privs keeps a setuid or file-capability program from
            // regaining privileges (and from clearing the parent-death signal by doing so).
            NoNewPrivileges.Set();

            if (instructions.SeccompFilter is { } filter)
            {
                // Last: the filter denies mount, unshare and the like, and stays in force across execve.
                stage = "seccomp";
                SeccompInstaller.Install(BpfInstructionPacking.Unpack(filter));
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

    /// <summary>
    /// Whatever descriptors the host let this process inherit (a pipe of a test runner, a socket of a service
    /// manager) must not reach the service: they are closed, and every other descriptor above stderr becomes
    /// close-on-exec.
    /// </summary>
    private static void CloseInheritedDescriptors()
    {
        InheritedDescriptors.Close();
        const uint CloseRangeCloexec = 1 << 2;
        var closeRange = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "close_range");
        if ((long)LibC.syscall(closeRange, 3, uint.MaxValue, CloseRangeCloexec) == -1)
        {
            Check(-1, "close_range(3, ~0, CLOSE_RANGE_CLOEXEC)");
        }
    }

    /// <summary>
    /// Whether this is the native (NativeAOT) build. Not <c>RuntimeFeature.IsDynamicCodeSupported</c>: the managed build
    /// is configured like the native one (the project publishes AOT, so its runtimeconfig turns dynamic code off as
    /// well), and would then skip the loading it needs. Code compiled ahead of time has no assembly file.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location is exactly what tells the native build apart.")]
    private static bool IsCompiledAheadOfTime => string.IsNullOrEmpty(typeof(InitProcess).Assembly.Location);

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Runs only in the managed build, which is not trimmed; the native build returns first.")]
    private static void LoadReferencedAssemblies()
    {
        if (IsCompiledAheadOfTime)
        {
            return; // Everything is in the executable already.
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<System.Reflection.Assembly>([typeof(InitProcess).Assembly]);
        while (pending.Count > 0)
        {
            foreach (var reference in pending.Dequeue().GetReferencedAssemblies())
            {
                if (seen.Add(reference.FullName))
                {
                    pending.Enqueue(System.Reflection.Assembly.Load(reference));
                }
            }
        }
    }

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

    private static unsafe void ChangeDirectory(string directory)
    {
        var path = NativeStrings.Utf8(directory);
        fixed (byte* p = path)
        {
            Check(LibC.chdir(p), $"chdir('{directory}')");
        }
    }

    private static void Execute(InitInstructions instructions)
    {
        using var command = new ServiceCommand(instructions);
        command.ReplaceThisProcess();
    }

    private static void Check(int result, string what)
    {
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }
}
