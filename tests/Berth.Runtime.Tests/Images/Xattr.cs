using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Runtime.Tests.Images;

/// <summary>Reads an extended attribute of a file itself (<c>lgetxattr</c>).</summary>
internal static partial class Xattr
{
    public static unsafe string? Get(string path, string name)
    {
        var buffer = new byte[256];
        fixed (byte* bytes = buffer)
        {
            var length = Lgetxattr(path, name, bytes, (nuint)buffer.Length);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint Lgetxattr(string path, string name, byte* value, nuint size);
}
