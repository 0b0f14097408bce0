using System.Collections.Immutable;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// An action for one system call, taken when all its argument conditions hold (always, when it has none).
/// Several rules for the same call are tried in order and the first that holds decides, so two rules are an
/// "or" (Docker lists <c>personality</c> once per allowed value the same way).
/// </summary>
public sealed record SyscallRule
{
    /// <summary>A rule for <paramref name="syscall"/> that takes <paramref name="action"/> when all conditions hold.</summary>
    public SyscallRule(string syscall, SeccompAction action, params IEnumerable<ArgumentCondition> conditions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(syscall);
        ArgumentNullException.ThrowIfNull(conditions);
        Syscall = syscall;
        Action = action;
        Conditions = [.. conditions];
    }

    /// <summary>The system call's name, as in the kernel's tables.</summary>
    public string Syscall { get; }

    /// <summary>What happens when the rule holds.</summary>
    public SeccompAction Action { get; }

    /// <summary>What must hold, all of it; empty for a rule that always holds.</summary>
    public ImmutableArray<ArgumentCondition> Conditions { get; }

    /// <summary>Whether the rule holds for a call with these arguments.</summary>
    public bool Matches(ReadOnlySpan<ulong> arguments)
    {
        foreach (var condition in Conditions)
        {
            if (!condition.IsSatisfiedBy(arguments[condition.Index]))
                return false;
        }

        return true;
    }
}
