using Berth.Runtime.Filesystem;

namespace Berth.Host.Orchestration;

/// <summary>What a service's containers run: the root filesystem, and the program with its arguments as the container sees them.</summary>
public sealed record ServiceProgram(RootFilesystem Root, string Executable, IReadOnlyList<string> Args);
