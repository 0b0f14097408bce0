using System.Text.Json.Serialization;

namespace Berth.Runtime.Init;

/// <summary>What the host tells a container's init to do, sent over the init socket once the init is in its cgroup.</summary>
/// <param name="SeccompFilter">The compiled filter, one <c>sock_filter</c> a number (see <see cref="Seccomp.BpfInstructionPacking"/>); null for none.</param>
internal sealed record InitInstructions(
    string Hostname,
    string Executable,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    uint Uid,
    uint Gid,
    IReadOnlyList<uint> SupplementaryGroups,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<ulong>? SeccompFilter,
    string? FilesystemPlan);

/// <summary>What the init reports back when a step fails; a successful exec closes the socket without a report.</summary>
internal sealed record InitFailure(string Stage, string Reason);

/// <summary>Source-generated JSON, so the init works the same when compiled ahead of time.</summary>
[JsonSerializable(typeof(InitInstructions))]
[JsonSerializable(typeof(InitFailure))]
internal sealed partial class InitJsonContext : JsonSerializerContext;
