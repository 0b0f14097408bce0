using System.Runtime.InteropServices;

namespace Berth.Runtime.Init;

/// <summary>
/// A NULL-terminated array of NUL-terminated UTF-8 strings in native memory: the shape of the <c>argv</c> and
/// <c>envp</c> that <c>execve</c> and <c>posix_spawn</c> take. Native memory, so that nothing moves under the
/// pointers while the kernel or the C library reads them.
/// </summary>
internal sealed class NativeStringVector : IDisposable
{
    private readonly nint[] _pointers;

    public NativeStringVector(IReadOnlyList<string> values)
    {
        _pointers = new nint[values.Count + 1];
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                _pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The array's first element, for <c>fixed</c>; valid until disposed.</summary>
    public ref nint GetPinnableReference() => ref _pointers[0];

    public void Dispose()
    {
        for (var i = 0; i < _pointers.Length; i++)
        {
            if (_pointers[i] != 0)
            {
                Marshal.FreeCoTaskMem(_pointers[i]);
                _pointers[i] = 0;
            }
        }
    }
}
