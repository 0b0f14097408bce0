using System.Runtime.InteropServices;

namespace Berth.Host.Orchestration;

/// <summary><c>chown(2)</c>, which .NET has no API for.</summary>
internal static class UnixOwnership
{
    /// <exception cref="IOException">The call failed.</exception>
    public static void Change(string path, int uid, int gid)
    {
        if (chown(path, (uint)uid, (uint)gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}
