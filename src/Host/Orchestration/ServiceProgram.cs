using Berth.Runtime.Filesystem;

namespace Berth.Host.Orchestration;

/// <summary>
/// What a service's containers run: the root filesystem, and the program with its arguments as the container sees
/// them; for an image from the store, also what its config says of the environment, user and working directory.
/// </summary>
public sealed record ServiceProgram(RootFilesystem Root, string Executable, IReadOnlyList<string> Args)
{
    /// <summary>The image's variables, which the service's own override.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The image's user, when the service names none (never root: root must be asked for).</summary>
    public string? User { get; init; }

    public string WorkingDirectory { get; init; } = "/";
}
