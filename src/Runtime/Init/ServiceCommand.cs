using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The service's program, arguments and environment in native memory, and the two ways the init starts it: in
/// its own place (<c>execve</c>) or, in init mode, as its child (<c>posix_spawn</c>). Either way the service starts
/// as a program started from a shell would: every signal at its default action and none blocked. Without that it
/// would inherit what the init was left with (the .NET runtime ignores SIGPIPE, and ignored signals and the mask
/// survive <c>execve</c>), and a service that writes to a closed pipe would get EPIPE instead of dying of SIGPIPE.
/// </summary>
internal sealed class ServiceCommand : IDisposable
{
    private readonly string _executable;
    private readonly byte[] _path;
    private readonly NativeStringVector _argv;
    private readonly NativeStringVector _envp;

    public ServiceCommand(InitInstructions instructions)
    {
        _executable = instructions.Executable;
        _path = NativeStrings.Utf8(instructions.Executable)!;
        _argv = new NativeStringVector([instructions.Executable, .. instructions.Args]);
        _envp = new NativeStringVector(instructions.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList());
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
            LibC.execve(file, (byte**)argv, (byte**)envp);
            throw SystemCallFailure.FromLastError($"execve('{_executable}')");
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

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw SystemCallFailure.Create(what, error);
        }
    }
}
