using System.Text.Json.Serialization;

namespace Berth.Runtime.Init;

/// <summary>What the host tells a container's init to do, sent over the init socket once the init is in its cgroup.</summary>
/// <param name="Init">Stay PID 1 and run the service as a child (<see cref="Containers.ContainerSpec.Init"/>) instead of <c>execve</c>.</param>
internal sealed record InitInstructions(
    string Hostname,
    ProcessCommand Service,
    ProcessPrivileges Privileges,
    string? FilesystemPlan,
    bool Init);

/// <summary>
/// What the host tells the init in exec mode (<see cref="ExecMode"/>) to run in a running container, sent once the
/// init is in the container's cgroup, after the descriptors it needs (<see cref="ExecDescriptors"/>).
/// </summary>
internal sealed record ExecInstructions(ProcessCommand Process, ProcessPrivileges Privileges);

/// <summary>
/// A program to run: its path, or in exec mode a name looked up in the <c>PATH</c> of <paramref name="Environment"/>
/// (<see cref="ServiceCommand"/>), its arguments (without <c>argv[0]</c>), its whole environment and its directory.
/// </summary>
internal sealed record ProcessCommand(
    string Executable,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);

/// <summary>
/// Who a container's processes run as and what they may do; the same for the service and every process exec'd into
/// the container.
/// </summary>
/// <param name="Capabilities">The capabilities kept, by kernel name; every other one is dropped.</param>
/// <param name="SeccompFilter">The compiled filter, one <c>sock_filter</c> a number (see <see cref="Seccomp.BpfInstructionPacking"/>); null for none.</param>
internal sealed record ProcessPrivileges(
    uint Uid,
    uint Gid,
    IReadOnlyList<uint> SupplementaryGroups,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<ulong>? SeccompFilter);

/// <summary>
/// What the init reports: <see cref="Executing"/> just before <c>execve</c> (then end-of-file means the exec
/// worked, since the socket is close-on-exec) or, in init mode, once the service runs as its child (the init then
/// closes the socket), or the step that failed and why. End-of-file without a report means the init died (killed,
/// out of memory) before it got that far.
/// </summary>
internal sealed record InitReport(bool Executing, string? Stage = null, string? Reason = null)
{
    public static InitReport ExecutingNow { get; } = new(Executing: true);

    public static InitReport Failed(string stage, string reason) => new(Executing: false, stage, reason);
}

/// <summary>Source-generated JSON, so the init works the same when compiled ahead of time.</summary>
[JsonSerializable(typeof(InitInstructions))]
[JsonSerializable(typeof(ExecInstructions))]
[JsonSerializable(typeof(InitReport))]
internal sealed partial class InitJsonContext : JsonSerializerContext;
