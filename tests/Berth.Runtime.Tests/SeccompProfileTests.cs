using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Tests;

public class SeccompProfileTests
{
    /// <summary>Calls the default profile must never allow, whatever their arguments.</summary>
    public static readonly string[] NeverAllowedByDefault =
    [
        "keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
        "kexec_load", "kexec_file_load", "pivot_root", "swapon", "swapoff", "mount", "umount2", "unshare", "setns",
        "bpf", "ptrace", "perf_event_open", "init_module", "finit_module", "delete_module", "reboot",
        "open_by_handle_at", "name_to_handle_at", "chroot", "acct", "settimeofday", "clock_settime", "fsopen",
        "move_mount", "open_tree", "syslog", "process_vm_readv", "process_vm_writev", "kcmp",
    ];

    [Fact]
    public void DefaultDeniesWithEperm() =>
        Assert.Equal(SeccompAction.Errno(1), SeccompProfile.Default.DefaultAction);

    [Fact]
    public void DefaultNeverAllowsTheDangerousCalls()
    {
        ulong[][] argumentSets = [[0, 0, 0, 0, 0, 0], [ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue]];
        foreach (var name in NeverAllowedByDefault)
        {
            Assert.DoesNotContain(name, SeccompProfile.Default.AllowedSyscalls);
            Assert.DoesNotContain(SeccompProfile.Default.Rules, rule => rule.Syscall == name);
            foreach (var arguments in argumentSets)
                Assert.Equal(SeccompAction.Errno(1), SeccompProfile.Default.Decide(name, arguments));
        }
    }

    [Fact]
    public void DefaultHoldsDockersAllowlist()
    {
        var allowed = SeccompProfile.Default.AllowedSyscalls;

        // Docker's 349 unconditional names, less io_uring_* and name_to_handle_at, plus arch_prctl and modify_ldt.
        Assert.Equal(347, allowed.Count);
        Assert.Subset(allowed, new HashSet<string>(["execve", "futex", "membarrier", "rseq", "seccomp", "arch_prctl", "setresuid", "capset"]));
        Assert.Equal(["clone", "clone3", "personality", "socket"], SeccompProfile.Default.Rules.Select(r => r.Syscall).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DefaultMakesClone3FailWithEnosys()
    {
        var rule = Assert.Single(SeccompProfile.Default.Rules, r => r.Syscall == "clone3");
        Assert.Equal(SeccompAction.Errno(38), rule.Action);
        Assert.Empty(rule.Conditions);
    }

    [Theory]
    [InlineData("SYS_ADMIN", "mount")]
    [InlineData("CAP_SYS_ADMIN", "unshare")]
    [InlineData("cap_sys_admin", "setns")]
    [InlineData("SYS_PTRACE", "ptrace")]
    [InlineData("SYS_MODULE", "finit_module")]
    [InlineData("SYS_TIME", "clock_settime")]
    [InlineData("SYS_BOOT", "reboot")]
    [InlineData("SYS_NICE", "mbind")]
    [InlineData("SYS_CHROOT", "chroot")]
    [InlineData("DAC_READ_SEARCH", "open_by_handle_at")]
    [InlineData("BPF", "bpf")]
    [InlineData("PERFMON", "perf_event_open")]
    [InlineData("ALL", "acct")]
    public void CapabilitiesAllowTheirCalls(string capability, string syscall)
    {
        Assert.DoesNotContain(syscall, SeccompProfile.Default.AllowedSyscalls);
        Assert.Contains(syscall, SeccompProfile.Default.WithCapabilities([capability]).AllowedSyscalls);
    }

    [Fact]
    public void NoCapabilityUnlocksWhatDockerNeverAllows()
    {
        var everything = SeccompProfile.Default.WithCapabilities(["ALL"]);
        foreach (var name in new[] { "keyctl", "add_key", "request_key", "userfaultfd", "kexec_load", "kexec_file_load", "pivot_root", "swapon", "swapoff", "io_uring_setup" })
            Assert.Equal(SeccompAction.Errno(1), everything.Decide(name, new ulong[6]));
    }

    [Fact]
    public void AllowedNamesAreSortedOrdinally()
    {
        var profile = new SeccompProfile(SeccompAction.Errno(1), ["b", "_llseek", "a", "B", "a"], []);
        Assert.Equal(["B", "_llseek", "a", "b"], profile.AllowedSyscalls);
    }

    [Fact]
    public void ArgumentConditionsCheckTheirIndex() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ArgumentCondition.Equal(6, 0));
}
