using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The service's program, arguments and environment in native memory, and the two ways the init starts it: in
/// its own place (<c>execve</c>) or, in init mode, as its child (<c>posix_spawn</c>). Either way the service starts
/// as a program started from a shell would: every signal at its default action and none blocked. Without that it
/// would inherit what the init was left with (the .NET runtime ignores SIGPIPE, and ignored signals and the mask
/// survive <c>execve</c>), and a service that writes to a closed pipe would get EPIPE instead of dying of SIGPIPE.
/// </summary>
/// <remarks>
/// A program named without a <c>/</c> (only an exec'd process may be, <see cref="ExecMode"/>) is looked up in the
/// <c>PATH</c> of its environment, as <c>execvpe</c> and <c>docker exec</c> do: the first directory where
/// <c>execve</c> does not fail with ENOENT, ENOTDIR or EACCES wins.
/// </remarks>
internal sealed class ServiceCommand : IDisposable
{
    private readonly string _executable;
    private readonly IReadOnlyList<string> _searchPath;
    private readonly byte[] _path;
    private readonly NativeStringVector _argv;
    private readonly NativeStringVector _envp;

    public ServiceCommand(ProcessCommand command)
    {
        _executable = command.Executable;
        _searchPath = command.Executable.Contains('/', StringComparison.Ordinal) ? [] : SearchPath(command.Environment);
        _path = NativeStrings.Utf8(command.Executable)!;
        _argv = new NativeStringVector([command.Executable, .. command.Args]);
        _envp = new NativeStringVector(command.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList());
    }

    /// <summary>
    /// Replaces this process with the service; returns only by throwing. The signal state is reset last, right
    /// before <c>execve</c>, so the runtime keeps its own until then; the thread that calls <c>execve</c> is the one
    /// whose mask the service inherits.
    /// </summary>
    public unsafe void ReplaceThisProcess()
    {
        fixed (byte* file = _path)
        fixed (nint* argv = _argv)
        fixed (nint* envp = _envp)
        {
            SignalDispositions.ResetIgnored(SignalDispositions.All);
            SignalMask.UnblockAll();
            if (_searchPath.Count == 0)
            {
                LibC.execve(file, (byte**)argv, (byte**)envp);
                throw SystemCallFailure.FromLastError($"execve('{_executable}')");
            }

            var denied = false;
            foreach (var directory in _searchPath)
            {
                var candidate = NativeStrings.Utf8($"{(directory.Length == 0 ? "." : directory)}/{_executable}")!;
                fixed (byte* path = candidate)
                {
                    LibC.execve(path, (byte**)argv, (byte**)envp);
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                denied |= errno == LibC.EACCES;
                if (errno != LibC.ENOENT && errno != LibC.ENOTDIR && errno != LibC.EACCES)
                {
                    throw SystemCallFailure.Create($"execve('{directory}/{_executable}')", errno);
                }
            }

            var searched = string.Join(':', _searchPath);
            throw new InvalidOperationException(denied
                ? $"'{_executable}' is in PATH={searched} but cannot be executed (Permission denied)"
                : $"'{_executable}' is not in PATH={searched} (No such file or directory)");
        }
    }

    /// <summary>
    /// Starts the service as a child of the calling thread, which passes on its credentials, capabilities,
    /// no_new_privs and seccomp filter: call it on the thread that dropped them. Returns the child's PID; a program
    /// that cannot be executed is an error here, since glibc's child reports a failed <c>execve</c> to the caller.
    /// </summary>
    public unsafe int StartAsChild()
    {
        var attributes = default(PosixSpawn.Attributes);
        Check(PosixSpawn.AttrInit(&attributes), "posix_spawnattr_init");
        try
        {
            // Every bit set by hand: glibc's sigfillset leaves out the two signals it keeps for itself (32 and
            // 33), and its child then sets those to SIG_IGN, which would outlast the exec.
            sigset_t all;
            new Span<byte>(&all, sizeof(sigset_t)).Fill(0xFF);
            sigset_t none;
            LibC.sigemptyset(&none);
            Check(PosixSpawn.AttrSetSigDefault(&attributes, &all), "posix_spawnattr_setsigdefault");
            Check(PosixSpawn.AttrSetSigMask(&attributes, &none), "posix_spawnattr_setsigmask");
            Check(PosixSpawn.AttrSetFlags(&attributes, PosixSpawn.SetSigDef | PosixSpawn.SetSigMask), "posix_spawnattr_setflags");

            int pid;
            fixed (byte* file = _path)
            fixed (nint* argv = _argv)
            fixed (nint* envp = _envp)
            {
                Check(PosixSpawn.Spawn(&pid, file, null, &attributes, argv, envp), $"posix_spawn('{_executable}')");
            }

            return pid;
        }
        finally
        {
            PosixSpawn.AttrDestroy(&attributes);
        }
    }

    public void Dispose()
    {
        _argv.Dispose();
        _envp.Dispose();
    }

    /// <summary>The directories of the environment's <c>PATH</c>, or of Docker's default search path without one.</summary>
    private static string[] SearchPath(IReadOnlyDictionary<string, string> environment) =>
        (environment.TryGetValue("PATH", out var path) ? path : Containers.ServiceEnvironment.DefaultPath).Split(':');

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw SystemCallFailure.Create(what, error);
        }
    }
}
