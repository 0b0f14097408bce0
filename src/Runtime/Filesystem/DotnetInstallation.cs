using System.Runtime.InteropServices;

namespace Berth.Runtime.Filesystem;

/// <summary>Finds the host's .NET installation: the directory holding the <c>dotnet</c> host and <c>shared/</c>.</summary>
public static class DotnetInstallation
{
    /// <summary>
    /// The installation of the runtime running this process: the shared framework lives in
    /// <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>, so <c>&lt;root&gt;</c> is three levels
    /// up from <see cref="RuntimeEnvironment.GetRuntimeDirectory"/>. A self-contained or native process has no such
    /// directory; then <c>DOTNET_ROOT</c>, then the <c>dotnet</c> on <c>PATH</c>. Symlinks are resolved, so the
    /// result is where the files really are (<c>/usr/bin/dotnet</c> leads to <c>/usr/share/dotnet</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No installation was found.</exception>
    public static string Locate()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var fromRuntime = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        if (IsInstallation(fromRuntime))
            return HostPath.Resolve(fromRuntime);

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } fromEnvironment && IsInstallation(fromEnvironment))
            return HostPath.Resolve(fromEnvironment);

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var host = Path.Combine(directory, "dotnet");
            if (File.Exists(host))
            {
                var root = Path.GetDirectoryName(HostPath.Resolve(host))!;
                if (IsInstallation(root))
                    return root;
            }
        }

        throw new InvalidOperationException(
            $"No .NET installation found: not above the runtime directory {runtimeDirectory}, nor in DOTNET_ROOT, nor on PATH.");
    }

    private static bool IsInstallation(string directory) =>
        File.Exists(Path.Combine(directory, "dotnet")) && Directory.Exists(Path.Combine(directory, "shared", "Microsoft.NETCore.App"));
}
