using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// A further process to run in a running container (<see cref="Container.ExecAsync"/>), as plain data. It runs with
/// the container's restrictions whatever this says: its user, capabilities, no_new_privs and seccomp filter.
/// </summary>
/// <param name="Executable">
/// An absolute path inside the container, or a name without <c>/</c>, looked up in the <c>PATH</c> of the process's
/// environment inside the container, as <c>docker exec</c> does.
/// </param>
/// <param name="Args">The arguments after <c>argv[0]</c>, which is <paramref name="Executable"/>.</param>
public sealed record ExecSpec(string Executable, IReadOnlyList<string> Args)
{
    /// <summary>
    /// The process's whole environment, with <c>PATH</c> and <c>HOME</c> added where it has none as for the service
    /// (<see cref="ContainerSpec.Environment"/>); null: the container's main process environment.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The directory it starts in, inside the container; null: the container's (<see cref="ContainerSpec.WorkingDirectory"/>).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Its standard input: any open descriptor of the host (a pipe's end, a file, a socket, a terminal), of which the
    /// process gets a copy; the caller keeps its own and may close it once <see cref="Container.ExecAsync"/> has
    /// returned. Null: <c>/dev/null</c>.
    /// </summary>
    public SafeFileHandle? StandardInput { get; init; }

    /// <summary>Its standard output, as <see cref="StandardInput"/>; null: <c>/dev/null</c>.</summary>
    public SafeFileHandle? StandardOutput { get; init; }

    /// <summary>Its standard error, as <see cref="StandardInput"/>; may be the same handle as <see cref="StandardOutput"/>. Null: <c>/dev/null</c>.</summary>
    public SafeFileHandle? StandardError { get; init; }
}
