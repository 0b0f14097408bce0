using System.Runtime.InteropServices;

namespace Berth.Runtime;

/// <summary>
/// Finds the init the runtime starts in every container: the native (ahead-of-time compiled) build where one is
/// shipped for this machine, else the managed build, which runs everywhere .NET does, only slower to start.
/// </summary>
public static class InitLocator
{
    /// <summary>The native init's file name, in <c>runtimes/RID/native/</c> (or flattened next to the app by a RID-specific publish).</summary>
    public const string NativeFileName = "berth-init";

    /// <summary>The managed init, run by the dotnet host.</summary>
    public const string ManagedFileName = "Berth.Runtime.Init.dll";

    /// <summary>The native init in <paramref name="applicationDirectory"/> for this machine if there is an executable one, else the managed init's path.</summary>
    public static string Find(string applicationDirectory) =>
        FindNative(applicationDirectory) ?? Path.Combine(applicationDirectory, ManagedFileName);

    /// <summary>The native init for this machine's runtime identifier (e.g. <c>linux-x64</c>; a musl or other build never matches a glibc one), or null.</summary>
    public static string? FindNative(string applicationDirectory)
    {
        string[] candidates =
        [
            Path.Combine(applicationDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", NativeFileName),
            // A RID-specific publish copies the matching native asset next to the application.
            Path.Combine(applicationDirectory, NativeFileName),
        ];
        return candidates.FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
