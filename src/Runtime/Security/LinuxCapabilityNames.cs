using System.Collections.Frozen;

namespace Berth.Runtime.Security;

/// <summary>
/// The kernel's names of the capabilities (<c>NET_BIND_SERVICE</c>), as a stack file writes them: with or without
/// <c>CAP_</c>, in any case, the way Docker and Compose accept them in <c>cap_add</c>.
/// </summary>
public static class LinuxCapabilityNames
{
    private const string Prefix = "CAP_";

    // Indexed by capability number; the order of linux/capability.h.
    private static readonly string[] s_names =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    private static readonly FrozenDictionary<string, LinuxCapability> s_byName = s_names
        .Select((name, number) => KeyValuePair.Create(name, (LinuxCapability)number))
        .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The highest capability Berth knows; a newer kernel may know more (see <see cref="KernelCapabilities"/>).</summary>
    public static LinuxCapability Last => (LinuxCapability)(s_names.Length - 1);

    /// <summary>Every capability Berth knows, in kernel order.</summary>
    public static IReadOnlyList<LinuxCapability> All { get; } =
        Enumerable.Range(0, s_names.Length).Select(number => (LinuxCapability)number).ToArray();

    /// <summary>The kernel's name without <c>CAP_</c>: <c>NET_BIND_SERVICE</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a capability Berth knows.</exception>
    public static string ToKernelName(this LinuxCapability capability) =>
        (uint)capability < (uint)s_names.Length
            ? s_names[(int)capability]
            : throw new ArgumentOutOfRangeException(nameof(capability), capability, "Not a Linux capability Berth knows.");

    /// <summary>Parses <c>NET_BIND_SERVICE</c>, <c>CAP_NET_BIND_SERVICE</c> or <c>cap_net_bind_service</c>.</summary>
    public static bool TryParse(string? text, out LinuxCapability capability)
    {
        capability = default;
        if (text is null)
            return false;

        return s_byName.TryGetValue(WithoutPrefix(text.Trim()), out capability);
    }

    /// <summary>Parses <c>NET_BIND_SERVICE</c>, <c>CAP_NET_BIND_SERVICE</c> or <c>cap_net_bind_service</c>.</summary>
    /// <exception cref="FormatException">Not a capability name; the message names it and suggests the closest one.</exception>
    public static LinuxCapability Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var capability) ? capability : throw new FormatException(DescribeUnknown(text));
    }

    /// <summary>Why <paramref name="text"/> is not a capability: what a name looks like, and the closest one if any.</summary>
    internal static string DescribeUnknown(string text)
    {
        var closest = Closest(WithoutPrefix(text.Trim()).ToUpperInvariant());
        var suggestion = closest is null ? "" : $" Did you mean {closest}?";
        return $"Unknown capability '{text}'. A capability is a name from capabilities(7), with or without CAP_, " +
            $"such as NET_BIND_SERVICE.{suggestion}";
    }

    private static string WithoutPrefix(string name) =>
        name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? name[Prefix.Length..] : name;

    /// <summary>The known name within a few typing mistakes of <paramref name="name"/>, if one is.</summary>
    private static string? Closest(string name)
    {
        var best = s_names.MinBy(known => EditDistance(name, known))!;
        return EditDistance(name, best) <= Math.Max(2, name.Length / 4) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
