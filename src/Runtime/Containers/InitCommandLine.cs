using System.Diagnostics;
using System.Text;

namespace Berth.Runtime.Containers;

/// <summary>How the host starts the init program, native or managed, in either of its modes (<c>--socket</c> to start a container, <c>--exec</c> to join one).</summary>
internal static class InitCommandLine
{
    /// <summary><c>sizeof(sockaddr_un.sun_path)</c> less the terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>
    /// The init with <paramref name="mode"/> and the socket it connects to; its standard streams are pipes to the host
    /// (its error output explains an init that dies early), and its environment is empty but for two settings.
    /// </summary>
    public static ProcessStartInfo StartInfo(ContainerRuntimeOptions options, string mode, string socketPath)
    {
        var managed = options.InitPath.EndsWith(".dll", StringComparison.Ordinal);
        var startInfo = new ProcessStartInfo(managed ? options.DotnetHost ?? DotnetHostLocator.Find() : options.InitPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (managed)
        {
            startInfo.ArgumentList.Add(options.InitPath);
        }

        startInfo.ArgumentList.Add(mode);
        startInfo.ArgumentList.Add(socketPath);

        // The init gets nothing of the host's environment; the service gets exactly the spec's.
        startInfo.Environment.Clear();
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        // No diagnostics socket: a managed init would create it in the host's /tmp and could not remove it
        // from inside its new root.
        startInfo.Environment["DOTNET_EnableDiagnostics"] = "0";
        return startInfo;
    }

    /// <summary>Why <paramref name="socketPath"/> cannot be a Unix socket's path, or null when it can.</summary>
    public static string? SocketPathProblem(string socketPath) =>
        Encoding.UTF8.GetByteCount(socketPath) > MaxSocketPathBytes
            ? $"{socketPath} is longer than a Unix socket path may be ({MaxSocketPathBytes} bytes); use a shorter state directory or id"
            : null;
}
