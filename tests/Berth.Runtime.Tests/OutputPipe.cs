using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Tests;

/// <summary>
/// A pipe for an exec'd process's output: <see cref="WriteEnd"/> goes into the <see cref="Containers.ExecSpec"/>;
/// once the exec has started, reading lets go of this process's copy of it and reads what the process writes, to the
/// end-of-file that comes when it (and whatever inherited the pipe) has closed it.
/// </summary>
internal sealed class OutputPipe : IDisposable
{
    private readonly AnonymousPipeServerStream _pipe = new(PipeDirection.In, HandleInheritability.None);
    private readonly StreamReader _reader;

    public OutputPipe()
    {
        WriteEnd = new SafeFileHandle(_pipe.ClientSafePipeHandle.DangerousGetHandle(), ownsHandle: false);
        _reader = new StreamReader(_pipe);
    }

    /// <summary>The write end; valid until the first read.</summary>
    public SafeFileHandle WriteEnd { get; }

    public Task<string?> ReadLineAsync()
    {
        _pipe.DisposeLocalCopyOfClientHandle();
        return _reader.ReadLineAsync();
    }

    public Task<string> ReadToEndAsync()
    {
        _pipe.DisposeLocalCopyOfClientHandle();
        return _reader.ReadToEndAsync();
    }

    public void Dispose() => _reader.Dispose();
}
