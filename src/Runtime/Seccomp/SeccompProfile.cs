using System.Collections.Immutable;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Which system calls a container may make: plain data, independent of architecture. A call named in
/// <see cref="AllowedSyscalls"/> is allowed whatever its arguments; otherwise its <see cref="Rules"/> are tried in
/// order; a call neither allowed nor matched by a rule gets <see cref="DefaultAction"/>. Names an architecture
/// does not have are skipped when the profile is compiled for it.
/// </summary>
public sealed class SeccompProfile
{
    /// <summary>A profile; names are kept sorted and distinct.</summary>
    public SeccompProfile(SeccompAction defaultAction, IEnumerable<string> allowedSyscalls, IEnumerable<SyscallRule> rules)
    {
        ArgumentNullException.ThrowIfNull(allowedSyscalls);
        ArgumentNullException.ThrowIfNull(rules);
        DefaultAction = defaultAction;
        AllowedSyscalls = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, allowedSyscalls.Select(name =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(allowedSyscalls));
            return name;
        }));
        Rules = [.. rules];
    }

    /// <summary>
    /// Docker's default profile for a container that keeps none of the capabilities that unlock system calls, which
    /// is Berth's default (it drops them all). See <see cref="DefaultSeccompProfile"/> for what it holds and why.
    /// </summary>
    public static SeccompProfile Default { get; } = DefaultSeccompProfile.Create();

    /// <summary>What a call that is neither allowed nor matched by a rule gets.</summary>
    public SeccompAction DefaultAction { get; }

    /// <summary>Calls allowed whatever their arguments, sorted by ordinal name.</summary>
    public ImmutableSortedSet<string> AllowedSyscalls { get; }

    /// <summary>Argument-conditioned (or non-allow) decisions for calls not in <see cref="AllowedSyscalls"/>.</summary>
    public ImmutableArray<SyscallRule> Rules { get; }

    /// <summary>This profile with <paramref name="syscalls"/> also allowed whatever their arguments.</summary>
    public SeccompProfile WithAllowedSyscalls(IEnumerable<string> syscalls) =>
        new(DefaultAction, AllowedSyscalls.Union(syscalls), Rules);

    /// <summary>
    /// This profile with the system calls Docker's default profile allows for each added capability, so a
    /// service's <c>cap_add</c> works as it does under Docker. Names may carry the <c>CAP_</c> prefix and any case;
    /// <c>ALL</c> adds every capability listed in <see cref="CapabilitySyscalls"/>. A capability that unlocks no
    /// system call in Docker's profile (most of them, such as <c>NET_ADMIN</c>) changes nothing.
    /// </summary>
    public SeccompProfile WithCapabilities(IEnumerable<string> capAdd)
    {
        ArgumentNullException.ThrowIfNull(capAdd);
        return WithAllowedSyscalls(capAdd.SelectMany(CapabilitySyscalls.For));
    }

    /// <summary>The decision this profile makes for a call, before compilation; what a compiled filter must match.</summary>
    public SeccompAction Decide(string syscall, ReadOnlySpan<ulong> arguments)
    {
        if (AllowedSyscalls.Contains(syscall))
            return SeccompAction.Allow;

        foreach (var rule in Rules)
        {
            if (rule.Syscall == syscall && rule.Matches(arguments))
                return rule.Action;
        }

        return DefaultAction;
    }
}
