using System.Text;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// An unnamed file in <c>/tmp</c> (<c>O_TMPFILE</c>), created before the drop so that its descriptor outlives it:
/// changing its owner afterwards needs CAP_CHOWN, and nothing is left on disk when the descriptor closes.
/// </summary>
internal sealed class RootOwnedTemporaryFile : IDisposable
{
    private RootOwnedTemporaryFile(int descriptor) => Descriptor = descriptor;

    public int Descriptor { get; }

    public static unsafe RootOwnedTemporaryFile Create()
    {
        fixed (byte* directory = Encoding.UTF8.GetBytes("/tmp\0"))
        {
            var descriptor = LibC.open(directory, LibC.O_TMPFILE | LibC.O_RDWR | LibC.O_CLOEXEC, 0x180);
            return descriptor == -1
                ? throw new IOException($"open(/tmp, O_TMPFILE) failed with errno {LibC.errno}.")
                : new RootOwnedTemporaryFile(descriptor);
        }
    }

    public void Dispose() => LibC.close(Descriptor);
}
