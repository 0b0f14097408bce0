using System.Text;

namespace Berth.Host.Control;

/// <summary>
/// Where a running stack can be found: <c>STATE/stacks/STACK/</c> (mode 0700), holding <c>stack.json</c> (which
/// process runs it) and <c>control.sock</c> (where <c>ps</c>, <c>logs</c> and <c>down</c> reach it). The process
/// that runs the stack owns the directory while it runs and removes it when it ends.
/// </summary>
internal sealed class StackDirectory
{
    public const string RecordFileName = "stack.json";
    public const string SocketFileName = "control.sock";

    /// <summary><c>sizeof(sockaddr_un.sun_path)</c> less the terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    private StackDirectory(string stack, string path)
    {
        Stack = stack;
        Path = path;
    }

    public string Stack { get; }

    public string Path { get; }

    public string RecordPath => System.IO.Path.Combine(Path, RecordFileName);

    public string SocketPath => System.IO.Path.Combine(Path, SocketFileName);

    /// <summary>The directory of <paramref name="stack"/> under the state directory <paramref name="stateDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The name is no file name, or the socket's path would be too long.</exception>
    public static StackDirectory For(string stateDirectory, string stack)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentException.ThrowIfNullOrEmpty(stack);
        if (stack is "." or ".." || stack.Contains('/', StringComparison.Ordinal) || stack.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The stack name '{stack}' cannot name a directory.", nameof(stack));
        }

        var directory = new StackDirectory(stack, System.IO.Path.Combine(System.IO.Path.GetFullPath(stateDirectory), "stacks", stack));
        if (Encoding.UTF8.GetByteCount(directory.SocketPath) > MaxSocketPathBytes)
        {
            throw new ArgumentException($"{directory.SocketPath} is longer than a Unix socket path may be ({MaxSocketPathBytes} bytes); use a shorter state directory (Berth__StateDirectory).", nameof(stateDirectory));
        }

        return directory;
    }
}
