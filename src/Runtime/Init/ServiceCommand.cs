using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The service's program, arguments and environment in native memory, and how the init starts it: in its own
/// place, by <c>execve</c>. The service starts as a program started from a shell would: every signal at its
/// default action and none blocked. Without that it would inherit what the init was left with (the .NET runtime
/// ignores SIGPIPE, and ignored signals and the mask survive <c>execve</c>), and a service that writes to a closed
/// pipe would get EPIPE instead of dying of SIGPIPE.
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

    public void Dispose()
    {
        _argv.Dispose();
        _envp.Dispose();
    }
}
