using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;
using Berth.Runtime.Security;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// Starts processes in one running container (<see cref="Container.ExecAsync"/>): the init program in exec mode
/// (<see cref="ExecMode"/>, the container's side), started from a thread that has joined the container's PID, UTS,
/// IPC, network and cgroup namespaces; then the handshake of a start, through a socket of its own in the container's
/// state directory: into the container's cgroup before anything runs, the container's mount namespace and the
/// standard streams as descriptors, the command with the container's user, capabilities and seccomp filter.
/// </summary>
/// <param name="main">The container's first process, whose namespaces are joined.</param>
/// <param name="service">The service's command: the environment and directory an exec'd process gets by default.</param>
/// <param name="home">The user's home, for an exec'd process's own environment without <c>HOME</c>.</param>
internal sealed class ExecLauncher(
    string containerId,
    string containerDirectory,
    ContainerRuntimeOptions options,
    Process main,
    Cgroup cgroup,
    ProcessCommand service,
    ProcessPrivileges privileges,
    string home)
{
    /// <summary>The namespaces joined from the host's thread; the mount namespace goes to the init as a descriptor.</summary>
    private static readonly (string Name, int Type)[] s_joined =
    [
        ("cgroup", LibC.CLONE_NEWCGROUP),
        ("ipc", LibC.CLONE_NEWIPC),
        ("uts", LibC.CLONE_NEWUTS),
        ("net", LibC.CLONE_NEWNET),
        ("pid", LibC.CLONE_NEWPID),
    ];

    private int _started;

    /// <summary>Starts <paramref name="spec"/>; <paramref name="removed"/> is called when the process is disposed.</summary>
    /// <exception cref="ContainerExecException">The process could not be started; nothing of it is left.</exception>
    public async Task<ExecProcess> StartAsync(ExecSpec spec, Action<ExecProcess> removed, CancellationToken cancellationToken)
    {
        if (privileges.Capabilities.Contains(LinuxCapability.SysPtrace.ToKernelName()))
        {
            // Until it has dropped them, the init in exec mode holds the host's privileges inside the container's PID
            // namespace, where a service that may trace any process could take it over.
            throw Fail("capabilities", "a container whose service keeps SYS_PTRACE cannot be exec'd into: the service could trace the exec'd process's init while it still has the host's privileges");
        }

        var command = new ProcessCommand(
            spec.Executable,
            spec.Args,
            spec.Environment is null ? service.Environment : ServiceEnvironment.Of(spec.Environment, home),
            spec.WorkingDirectory ?? service.WorkingDirectory);
        var oomBefore = cgroup.OomKilled;
        var namespaces = OpenNamespaces();
        var socketPath = Path.Combine(containerDirectory, $"exec-{Interlocked.Increment(ref _started)}.sock");
        Process? process = null;
        try
        {
            if (InitCommandLine.SocketPathProblem(socketPath) is { } problem)
            {
                throw Fail("state", problem);
            }

            using var listener = Listen(socketPath);
            try
            {
                process = NamespaceSpawner.StartIn(InitCommandLine.StartInfo(options, "--exec", socketPath), namespaces.Joined);
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or FileNotFoundException)
            {
                throw main.HasExited ? ContainerExited() : Fail("init", $"cannot start the init {options.InitPath} in the container's namespaces: {e.Message}");
            }

            process.StandardInput.Close();
            var handshake = new InitHandshake(process, options, "the process", Fail);
            using var init = await handshake.AcceptAsync(listener, cancellationToken).ConfigureAwait(false);

            // The init waits for its instructions, so it is in the cgroup before anything of the command runs.
            try
            {
                cgroup.AddProcess(process.Id);
            }
            catch (CgroupException e)
            {
                throw Fail("cgroup", e.Message);
            }

            using var streams = new StandardStreams(spec);
            await handshake.HandOverAsync(
                init,
                [(int)namespaces.Mount.DangerousGetHandle(), .. streams.Descriptors],
                new ExecInstructions(command, privileges),
                InitJsonContext.Default.ExecInstructions,
                cgroup,
                cancellationToken).ConfigureAwait(false);
            return new ExecProcess(process, () => !oomBefore && cgroup.OomKilled, removed);
        }
        catch (Exception failure)
        {
            if (process is not null)
            {
                await ChildProcess.KillAsync(process).ConfigureAwait(false);
            }

            // The container ending meanwhile takes the init with it: say so rather than how the init ended.
            if (failure is ContainerExecException { Stage: "init" or "cgroup" } && main.HasExited)
            {
                throw ContainerExited();
            }

            throw;
        }
        finally
        {
            namespaces.Dispose();
            try
            {
                File.Delete(socketPath);
            }
            catch (IOException)
            {
                // The container's state directory is gone: the container has been removed meanwhile.
            }
        }
    }

    /// <summary>Checks what <see cref="Container.ExecAsync"/> is given before anything is made.</summary>
    public static void Validate(ExecSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Executable, nameof(spec));
        ArgumentNullException.ThrowIfNull(spec.Args, nameof(spec));

        // A NUL would cut a string short in argv or envp without a word.
        if (spec.Executable.Contains('\0', StringComparison.Ordinal) || spec.Args.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("The executable and the arguments must be strings without NUL characters.", nameof(spec));
        }

        if (spec.Environment?.Any(v => v.Key.Length == 0 || v.Key.Contains('=', StringComparison.Ordinal) || v.Key.Contains('\0', StringComparison.Ordinal) || v.Value is null || v.Value.Contains('\0', StringComparison.Ordinal)) == true)
        {
            throw new ArgumentException("Environment variable names must be non-empty, without '=' or NUL, and values without NUL.", nameof(spec));
        }

        foreach (var (name, handle) in new[] { ("StandardInput", spec.StandardInput), ("StandardOutput", spec.StandardOutput), ("StandardError", spec.StandardError) })
        {
            if (handle is { IsInvalid: true } or { IsClosed: true })
            {
                throw new ArgumentException($"The {name} handle is closed or invalid.", nameof(spec));
            }
        }
    }

    /// <summary>The container's namespaces, opened while its first process is known to run (its PID is its own until it is reaped).</summary>
    private ContainerNamespaces OpenNamespaces()
    {
        if (main.HasExited)
        {
            throw ContainerExited();
        }

        var opened = new List<(SafeFileHandle File, int Type)>();
        SafeFileHandle? mount = null;
        try
        {
            foreach (var (name, type) in s_joined)
            {
                opened.Add((NamespaceFile.Open($"/proc/{main.Id}/ns/{name}"), type));
            }

            mount = NamespaceFile.Open($"/proc/{main.Id}/ns/mnt");
            if (main.HasExited)
            {
                throw ContainerExited();
            }

            return new ContainerNamespaces(opened, mount);
        }
        catch (Exception e)
        {
            mount?.Dispose();
            opened.ForEach(n => n.File.Dispose());
            throw e is IOException && main.HasExited ? ContainerExited() : e is IOException ? Fail("namespaces", e.Message) : e;
        }
    }

    private Socket Listen(string socketPath)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            return listener;
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw Fail("state", $"cannot listen at {socketPath}: {e.Message}");
        }
    }

    private ContainerExecException ContainerExited() => new(containerId, "container", "the container has exited");

    private ContainerExecException Fail(string stage, string reason) => new(containerId, stage, reason);

    /// <summary>The spec's standard streams, each /dev/null where it names none, held open (and referenced) until disposed.</summary>
    private sealed class StandardStreams : IDisposable
    {
        private readonly SafeFileHandle?[] _handles;
        private readonly bool[] _referenced = new bool[3];
        private readonly SafeFileHandle? _devNull;

        public StandardStreams(ExecSpec spec)
        {
            _handles = [spec.StandardInput, spec.StandardOutput, spec.StandardError];
            if (_handles.Any(h => h is null))
            {
                _devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
            }

            Descriptors = new int[3];
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    var handle = _handles[i] ?? _devNull!;

                    // A handle the caller closes meanwhile must not have its number reused before the kernel copies it.
                    handle.DangerousAddRef(ref _referenced[i]);
                    Descriptors[i] = (int)handle.DangerousGetHandle();
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int[] Descriptors { get; }

        public void Dispose()
        {
            for (var i = 0; i < 3; i++)
            {
                if (_referenced[i])
                {
                    (_handles[i] ?? _devNull!).DangerousRelease();
                }
            }

            _devNull?.Dispose();
        }
    }

    /// <summary>A container's namespaces open for joining: those the host's thread joins, and the mount namespace.</summary>
    private sealed class ContainerNamespaces(IReadOnlyList<(SafeFileHandle File, int Type)> joined, SafeFileHandle mount) : IDisposable
    {
        public IReadOnlyList<(SafeFileHandle File, int Type)> Joined { get; } = joined;

        public SafeFileHandle Mount { get; } = mount;

        public void Dispose()
        {
            foreach (var (file, _) in Joined)
            {
                file.Dispose();
            }

            Mount.Dispose();
        }
    }
}
