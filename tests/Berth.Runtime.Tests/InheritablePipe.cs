using Tmds.Linux;

namespace Berth.Runtime.Tests;

/// <summary>A pipe opened without close-on-exec, so that every process this one starts inherits both ends.</summary>
internal sealed class InheritablePipe : IDisposable
{
    private readonly int _read;
    private readonly int _write;

    private InheritablePipe(int read, int write)
    {
        _read = read;
        _write = write;
        Target = new FileInfo($"/proc/self/fd/{read}").LinkTarget ?? throw new InvalidOperationException("The pipe has no /proc link.");
    }

    /// <summary>What a descriptor of this pipe links to in <c>/proc/PID/fd</c>: <c>pipe:[INODE]</c>.</summary>
    public string Target { get; }

    public static unsafe InheritablePipe Create()
    {
        var ends = stackalloc int[2];
        if (LibC.pipe(ends) != 0)
            throw new InvalidOperationException($"pipe failed with errno {LibC.errno}.");
        return new InheritablePipe(ends[0], ends[1]);
    }

    public void Dispose()
    {
        LibC.close(_read);
        LibC.close(_write);
    }
}
