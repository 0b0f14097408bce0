using System.Collections.Frozen;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// The system calls Docker's default seccomp profile allows only when a container has a capability (its
/// <c>includes.caps</c> entries), so that <c>cap_add</c> unlocks the same calls under Berth. The kernel still checks
/// the capability itself; the profile only stops asking for calls no unprivileged container needs.
/// Docker never allows <c>kexec_*</c>, <c>keyctl</c>, <c>add_key</c>, <c>request_key</c>, <c>userfaultfd</c>,
/// <c>pivot_root</c>, <c>swapon</c> or <c>swapoff</c>, whatever the capabilities; neither does Berth.
/// </summary>
public static class CapabilitySyscalls
{
    private static readonly FrozenDictionary<string, string[]> s_byCapability =
        new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["SYS_ADMIN"] =
            [
                "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
                "mount", "mount_setattr", "move_mount", "name_to_handle_at", "open_tree", "perf_event_open", "quotactl",
                "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
            ],
            ["DAC_READ_SEARCH"] = ["name_to_handle_at", "open_by_handle_at"],
            ["SYS_BOOT"] = ["reboot"],
            ["SYS_CHROOT"] = ["chroot"],
            ["SYS_MODULE"] = ["delete_module", "init_module", "finit_module"],
            ["SYS_PACCT"] = ["acct"],
            ["SYS_PTRACE"] = ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"],
            ["SYS_RAWIO"] = ["iopl", "ioperm"],
            ["SYS_TIME"] = ["settimeofday", "stime", "clock_settime", "clock_settime64"],
            ["SYS_TTY_CONFIG"] = ["vhangup"],
            ["SYS_NICE"] = ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
            ["SYSLOG"] = ["syslog"],
            ["BPF"] = ["bpf"],
            ["PERFMON"] = ["perf_event_open"],
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The capabilities (without <c>CAP_</c>) that unlock system calls.</summary>
    public static IEnumerable<string> Capabilities => s_byCapability.Keys;

    /// <summary>
    /// The calls <paramref name="capability"/> unlocks (<c>SYS_ADMIN</c> or <c>CAP_SYS_ADMIN</c>, any case; <c>ALL</c>
    /// for all of them); none for a capability that unlocks none.
    /// </summary>
    public static IEnumerable<string> For(string capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        var name = capability.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? capability[4..] : capability;
        if (name.Equals("ALL", StringComparison.OrdinalIgnoreCase))
            return s_byCapability.Values.SelectMany(calls => calls);

        return s_byCapability.TryGetValue(name, out var calls) ? calls : [];
    }
}
