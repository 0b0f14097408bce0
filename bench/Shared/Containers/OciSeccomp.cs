using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Berth.Runtime.Seccomp;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// Berth's seccomp profile as an OCI <c>linux.seccomp</c> section, so crun and runc install the same allowlist
/// Berth does (they compile it with libseccomp on every start; Berth compiles once per runtime and reuses it).
/// </summary>
internal static class OciSeccomp
{
    public static JsonObject From(SeccompProfile profile)
    {
        var defaultAction = Action(profile.DefaultAction);
        var syscalls = new JsonArray { Rule(profile.AllowedSyscalls, SeccompAction.Allow, []) };
        foreach (var rule in profile.Rules)
        {
            syscalls.Add(Rule([rule.Syscall], rule.Action, rule.Conditions));
        }

        var section = new JsonObject
        {
            ["defaultAction"] = defaultAction.Name,
            ["architectures"] = new JsonArray(NativeArchitecture()),
            ["syscalls"] = syscalls,
        };
        if (defaultAction.Errno is { } errno)
        {
            section["defaultErrnoRet"] = errno;
        }

        return section;
    }

    private static JsonObject Rule(IEnumerable<string> names, SeccompAction action, IEnumerable<ArgumentCondition> conditions)
    {
        var (name, errno) = Action(action);
        var rule = new JsonObject
        {
            ["names"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]),
            ["action"] = name,
        };
        if (errno is { } value)
        {
            rule["errnoRet"] = value;
        }

        var args = new JsonArray([.. conditions.Select(Argument)]);
        if (args.Count > 0)
        {
            rule["args"] = args;
        }

        return rule;
    }

    /// <summary>libseccomp's comparison; for a masked comparison its first operand is the mask, the second the value.</summary>
    private static JsonObject Argument(ArgumentCondition condition) => condition.Comparison switch
    {
        ArgumentComparison.Equal => new JsonObject { ["index"] = condition.Index, ["value"] = condition.Value, ["op"] = "SCMP_CMP_EQ" },
        ArgumentComparison.NotEqual => new JsonObject { ["index"] = condition.Index, ["value"] = condition.Value, ["op"] = "SCMP_CMP_NE" },
        ArgumentComparison.MaskedEqual => new JsonObject { ["index"] = condition.Index, ["value"] = condition.Mask, ["valueTwo"] = condition.Value, ["op"] = "SCMP_CMP_MASKED_EQ" },
        var other => throw new NotSupportedException($"No OCI form for the comparison {other}."),
    };

    private static (string Name, int? Errno) Action(SeccompAction action) =>
        action == SeccompAction.Allow ? ("SCMP_ACT_ALLOW", null)
        : action == SeccompAction.KillProcess ? ("SCMP_ACT_KILL_PROCESS", null)
        : action.IsErrno ? ("SCMP_ACT_ERRNO", action.ErrnoValue)
        : throw new NotSupportedException($"No OCI form for the seccomp action {action}.");

    /// <summary>Only this machine's own architecture, as Berth's filter (a call made through another ABI is denied).</summary>
    private static string NativeArchitecture() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "SCMP_ARCH_X86_64",
        Architecture.Arm64 => "SCMP_ARCH_AARCH64",
        var other => throw new PlatformNotSupportedException($"No seccomp architecture for {other}."),
    };
}
