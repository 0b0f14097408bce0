using System.Runtime.InteropServices;

namespace Berth.Runtime;

/// <summary>Finds the <c>dotnet</c> executable that runs managed helpers such as the init, the way the SDK does.</summary>
public static class DotnetHostLocator
{
    /// <summary>The host running this process, else the CLI's <c>DOTNET_HOST_PATH</c>, else the one that owns this runtime.</summary>
    /// <exception cref="FileNotFoundException">No dotnet host can be found.</exception>
    public static string Find()
    {
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromCli && File.Exists(fromCli))
        {
            return fromCli;
        }

        // The shared runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/, next to <root>/dotnet.
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(host) ? host : throw new FileNotFoundException("No dotnet host found to run the managed init.", host);
    }
}
