using Berth.Runtime.Seccomp;
using Xunit.Abstractions;

namespace Berth.Runtime.Tests;

/// <summary>Runs compiled filters in <see cref="ClassicBpfInterpreter"/> and checks each decision.</summary>
public class SeccompFilterTests(ITestOutputHelper output)
{
    private const int Eperm = 1;
    private const int Enosys = 38;
    private const uint AuditArchI386 = 0x40000003;
    private const uint AuditArchArm = 0x40000028;

    // What glibc's pthread_create passes to clone (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
    // CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID), and what fork passes
    // (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD).
    private const ulong ThreadFlags = 0x003d0f00;
    private const ulong ForkFlags = 0x01200011;

    public static TheoryData<SeccompArchitecture> Architectures => [SeccompArchitecture.X86_64, SeccompArchitecture.Aarch64];

    public static TheoryData<SeccompArchitecture, ulong> NamespaceFlags
    {
        get
        {
            var data = new TheoryData<SeccompArchitecture, ulong>();
            foreach (var architecture in Architectures)
            {
                // CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
                foreach (var flag in new ulong[] { 0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000 })
                    data.Add(architecture, flag);
            }

            return data;
        }
    }

    private static SeccompAction Deny => SeccompAction.Errno(Eperm);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void DefaultFilterPassesTheKernelChecksWellUnderTheInstructionLimit(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        ClassicBpfInterpreter.Validate(filter.Instructions);
        Assert.True(filter.Instructions.Length < SeccompFilter.MaxInstructions);
        Assert.Equal(architecture, filter.Architecture);
        output.WriteLine(
            $"{architecture}: {filter.AllowedSyscalls.Count} allowed, {filter.ConditionalSyscalls.Count} conditioned " +
            $"({string.Join(", ", filter.ConditionalSyscalls)}), {filter.SkippedSyscalls.Count} skipped, " +
            $"{filter.Instructions.Length} instructions");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void EverydayCallsAreAllowed(SeccompArchitecture architecture)
    {
        string[] everyday =
        [
            "read", "write", "openat", "close", "newfstatat", "mmap", "munmap", "mprotect", "madvise", "brk", "futex",
            "epoll_pwait", "rt_sigaction", "rt_sigprocmask", "sched_yield", "sched_getaffinity", "membarrier",
            "memfd_create", "execve", "exit_group", "getpid", "gettid", "wait4", "prctl", "seccomp", "setresuid",
            "setgroups", "close_range", "capset", "rseq", "set_robust_list", "getrandom", "statx", "pipe2",
        ];
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        foreach (var name in everyday)
            Assert.Equal((name, SeccompAction.Allow), (name, Decide(filter, SeccompData.For(architecture, name))));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void DangerousCallsFailWithEperm(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        foreach (var name in SeccompProfileTests.NeverAllowedByDefault.Where(n => SyscallTable.TryGetNumber(architecture, n, out _)))
        {
            // Arguments do not matter: try them all-clear and all-set.
            Assert.Equal((name, Deny), (name, Decide(filter, SeccompData.For(architecture, name))));
            Assert.Equal((name, Deny), (name, Decide(filter, SeccompData.For(architecture, name, ulong.MaxValue, ulong.MaxValue))));
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CloneForThreadsAndForkIsAllowed(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "clone", ThreadFlags)));
        Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "clone", ForkFlags)));
        Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "clone", 0)));

        // The kernel reads only the low 32 bits of clone's flags; high garbage changes nothing.
        Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "clone", 0xffff_ffff_0000_0000 | ThreadFlags)));
    }

    [Theory]
    [MemberData(nameof(NamespaceFlags))]
    public void CloneIntoANewNamespaceFailsWithEperm(SeccompArchitecture architecture, ulong namespaceFlag)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "clone", namespaceFlag)));
        Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "clone", namespaceFlag | ForkFlags)));
        Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "clone", namespaceFlag | ThreadFlags, 0x7ffd_0000_0000)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Clone3FailsWithEnosysSoLibcFallsBackToClone(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        Assert.Equal(SeccompAction.Errno(Enosys), Decide(filter, SeccompData.For(architecture, "clone3")));
        Assert.Equal(SeccompAction.Errno(Enosys), Decide(filter, SeccompData.For(architecture, "clone3", 0x7ffd_1234_5000, 88)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void PersonalityAllowsOnlyDockersValues(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        foreach (var persona in new ulong[] { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff })
        {
            Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "personality", persona)));

            // personality takes an unsigned int: the kernel ignores the high half, and so does the filter.
            Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "personality", 0xdead_beef_0000_0000 | persona)));
        }

        // ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, PER_BSD.
        foreach (var persona in new ulong[] { 0x0040000, 0x0400000, 0x6, 0x1 })
            Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "personality", persona)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SocketAllowsEveryFamilyButVsock(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);

        // AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET.
        foreach (var family in new ulong[] { 1, 2, 10, 16, 17 })
            Assert.Equal(SeccompAction.Allow, Decide(filter, SeccompData.For(architecture, "socket", family, 1, 0)));

        Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "socket", 40, 1, 0)));

        // The kernel truncates the family to an int, so a high half must not smuggle AF_VSOCK past the filter.
        Assert.Equal(Deny, Decide(filter, SeccompData.For(architecture, "socket", 0x1_0000_0028, 1, 0)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void AnyOtherArchitectureIsKilled(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);
        var other = architecture == SeccompArchitecture.X86_64 ? SeccompArchitecture.Aarch64 : SeccompArchitecture.X86_64;
        var read = SyscallTable.GetNumber(architecture, "read");

        foreach (var arch in new[] { (uint)other, AuditArchI386, AuditArchArm, 0u, uint.MaxValue })
            Assert.Equal(SeccompAction.KillProcess, Decide(filter, new SeccompData(read, arch)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void X32CallsFailWithEpermAndCallsNewerThanTheTableWithEnosys(SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, architecture);
        var newest = SyscallTable.ForArchitecture(architecture).Values.Max();

        // Numbers above the table are calls newer than it: ENOSYS lets a C library fall back to an older call.
        foreach (var nr in new[] { newest + 1, newest + 2, 1000, 0x3fffffff })
            Assert.Equal((nr, SeccompAction.Errno(38)), (nr, Decide(filter, new SeccompData(nr, (uint)architecture))));

        // x32's read (0x40000000), its own rt_sigaction (0x40000000 | 512), the largest numbers, and -1: on x86_64
        // the x32 test answers first with the profile's errno; on aarch64 they are just numbers above the table.
        var high = architecture == SeccompArchitecture.X86_64 ? Deny : SeccompAction.Errno(38);
        foreach (var nr in new[] { 0x40000000, 0x40000000 | 512, 0x40000000 | 56, int.MaxValue, -1 })
            Assert.Equal((nr, high), (nr, Decide(filter, new SeccompData(nr, (uint)architecture))));

        if (architecture == SeccompArchitecture.X86_64)
        {
            // The explicit x32 test comes before the number search.
            Assert.Contains(filter.Instructions, i => i.Code == 0x35 && i.K == 0x40000000);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void EveryNumberGetsTheProfilesDecision(SeccompArchitecture architecture) =>
        AssertAgreesWithProfile(SeccompProfile.Default, architecture);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CapabilitiesAddTheirCallsBack(SeccompArchitecture architecture)
    {
        var admin = SeccompFilter.Compile(SeccompProfile.Default.WithCapabilities(["CAP_SYS_ADMIN", "sys_ptrace", "SYS_TIME"]), architecture);

        foreach (var name in new[] { "mount", "umount2", "unshare", "setns", "sethostname", "bpf", "ptrace", "process_vm_readv", "clock_settime" })
            Assert.Equal((name, SeccompAction.Allow), (name, Decide(admin, SeccompData.For(architecture, name))));

        // SYS_ADMIN lifts the conditions on clone and the ENOSYS on clone3, as in Docker's profile.
        Assert.Equal(SeccompAction.Allow, Decide(admin, SeccompData.For(architecture, "clone", 0x10000000 | ForkFlags)));
        Assert.Equal(SeccompAction.Allow, Decide(admin, SeccompData.For(architecture, "clone3")));

        // Still never allowed.
        foreach (var name in new[] { "keyctl", "add_key", "pivot_root", "kexec_load", "swapon", "userfaultfd", "reboot", "init_module" })
            Assert.Equal((name, Deny), (name, Decide(admin, SeccompData.For(architecture, name))));

        AssertAgreesWithProfile(SeccompProfile.Default.WithCapabilities(["ALL"]), architecture);
    }

    [Fact]
    public void ACapabilityThatUnlocksNoCallsChangesNothing()
    {
        var filter = SeccompFilter.Compile(SeccompProfile.Default, SeccompArchitecture.X86_64);
        var withNetAdmin = SeccompFilter.Compile(SeccompProfile.Default.WithCapabilities(["NET_ADMIN", "CAP_CHOWN"]), SeccompArchitecture.X86_64);

        // As sequences: ImmutableArray's own equality compares the underlying arrays by reference.
        Assert.Equal<BpfInstruction>(filter.Instructions, withNetAdmin.Instructions);
    }

    [Fact]
    public void NamesAnArchitectureLacksAreSkipped()
    {
        var profile = new SeccompProfile(SeccompAction.Errno(Eperm), ["open", "openat", "no_such_call"], [new SyscallRule("arch_prctl", SeccompAction.Allow, ArgumentCondition.Equal(0, 0x1002))]);

        var aarch64 = SeccompFilter.Compile(profile, SeccompArchitecture.Aarch64);
        var x86 = SeccompFilter.Compile(profile, SeccompArchitecture.X86_64);

        Assert.Equal(["arch_prctl", "no_such_call", "open"], aarch64.SkippedSyscalls);
        Assert.Equal(["openat"], aarch64.AllowedSyscalls);
        Assert.Equal(["no_such_call"], x86.SkippedSyscalls);
        Assert.Equal(["open", "openat"], x86.AllowedSyscalls);
        Assert.Equal(["arch_prctl"], x86.ConditionalSyscalls);
        Assert.Equal(SeccompAction.Allow, Decide(x86, SeccompData.For(SeccompArchitecture.X86_64, "arch_prctl", 0x1002)));
        Assert.Equal(Deny, Decide(x86, SeccompData.For(SeccompArchitecture.X86_64, "arch_prctl", 0x1_0000_1002)));
    }

    [Fact]
    public void LargeConditionedBlocksUseLongJumpsAndStayCorrect()
    {
        // A third of the calls on x86_64 get three rules on 64-bit arguments: leaves of ~20 instructions, so the upper levels
        // of the search tree must reach farther than a conditional jump's 255. The last rule differs per call, so
        // neighbours do not merge into one run.
        var rules = SyscallTable.ForArchitecture(SeccompArchitecture.X86_64)
            .Where(pair => pair.Key.Length % 3 == 0)
            .SelectMany(pair => new[]
            {
                new SyscallRule(pair.Key, SeccompAction.Allow, ArgumentCondition.Equal(0, 7), ArgumentCondition.NotEqual(1, 0x1_0000_0000)),
                new SyscallRule(pair.Key, SeccompAction.Errno(13), ArgumentCondition.MaskedEqual(1, 0xf0f0_0000_0000_0ff0, 0x1010_0000_0000_0110)),
                new SyscallRule(pair.Key, SeccompAction.Errno(14), ArgumentCondition.Equal(2, (ulong)pair.Value)),
            });
        var profile = new SeccompProfile(SeccompAction.Errno(Eperm), ["read", "write"], rules);

        var filter = SeccompFilter.Compile(profile, SeccompArchitecture.X86_64);

        Assert.Contains(filter.Instructions, i => i.Code == 0x05 && i.K > byte.MaxValue);
        AssertAgreesWithProfile(profile, SeccompArchitecture.X86_64);
    }

    [Fact]
    public void AProgramPastTheKernelLimitIsRefused()
    {
        var rules = SyscallTable.ForArchitecture(SeccompArchitecture.X86_64).SelectMany(pair =>
            Enumerable.Range(0, 6).Select(i => new SyscallRule(pair.Key, SeccompAction.Allow, ArgumentCondition.Equal(i, (ulong)pair.Value))));
        var profile = new SeccompProfile(SeccompAction.Errno(Eperm), [], rules);

        var error = Assert.Throws<InvalidOperationException>(() => SeccompFilter.Compile(profile, SeccompArchitecture.X86_64));
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstructionsHaveTheKernelsSockFilterLayout() =>
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<BpfInstruction>());

    [Fact]
    public void InstallingAFilterForAnotherArchitectureIsRefusedBeforeAnySystemCall()
    {
        var other = SyscallTable.CurrentArchitecture == SeccompArchitecture.X86_64 ? SeccompArchitecture.Aarch64 : SeccompArchitecture.X86_64;
        var filter = SeccompFilter.Compile(SeccompProfile.Default, other);

        var error = Assert.Throws<ArgumentException>(() => SeccompInstaller.Install(filter));
        Assert.Contains("kill the process", error.Message, StringComparison.Ordinal);
    }

    private static SeccompAction Decide(SeccompFilter filter, SeccompData data) =>
        ClassicBpfInterpreter.Run(filter.Instructions, data);

    /// <summary>
    /// Every number from 0 to 1023, x32's and the extremes, with argument sets that hit each condition kind, get
    /// what <see cref="SeccompProfile.Decide"/> says (the default for numbers the architecture does not have).
    /// </summary>
    private static void AssertAgreesWithProfile(SeccompProfile profile, SeccompArchitecture architecture)
    {
        var filter = SeccompFilter.Compile(profile, architecture);
        ClassicBpfInterpreter.Validate(filter.Instructions);
        var names = SyscallTable.ForArchitecture(architecture).ToDictionary(pair => pair.Value, pair => pair.Key);
        var newest = (uint)names.Keys.Max();
        ulong[][] argumentSets =
        [
            [],
            [ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue],
            [ThreadFlags], [0x10000000 | ForkFlags], [0x1_0000_0000 | ThreadFlags],
            [40], [0x1_0000_0028], [2], [8], [0xffffffff], [0x40000],
            [7, 0], [7, 0x1_0000_0000], [7, 0x1_0000_0001], [0, 0x1010_0000_0000_0110], [0, 0x1f1f_0000_0000_0f1f],
        ];
        var numbers = Enumerable.Range(0, 1024).Concat([0x40000000, 0x40000000 | 1, 0x3fffffff, int.MaxValue, int.MinValue, -1]);

        foreach (var nr in numbers)
        {
            foreach (var arguments in argumentSets.Append([7, 0, (ulong)nr]))
            {
                var data = new SeccompData(nr, (uint)architecture, arguments);
                var expected = names.TryGetValue(nr, out var name)
                    ? profile.Decide(name, data.Arguments)
                    : NumberWithoutName(profile, architecture, (uint)nr, newest);
                var actual = Decide(filter, data);
                if (actual != expected)
                    Assert.Fail($"{architecture} nr {nr} ({name ?? "unknown"}) with [{string.Join(", ", arguments.Select(a => $"0x{a:x}"))}]: filter says {actual}, profile says {expected}.");
            }
        }
    }

    /// <summary>
    /// A number the table has no name for: x32 (on x86_64) gets the default; above the newest known call a denying
    /// profile answers ENOSYS; a gap below it gets the default.
    /// </summary>
    private static SeccompAction NumberWithoutName(SeccompProfile profile, SeccompArchitecture architecture, uint nr, uint newest)
    {
        if (architecture == SeccompArchitecture.X86_64 && nr >= 0x40000000)
            return profile.DefaultAction == SeccompAction.Allow ? SeccompAction.Errno(1) : profile.DefaultAction;
        if (nr > newest && profile.DefaultAction != SeccompAction.Allow)
            return SeccompAction.Errno(38);
        return profile.DefaultAction;
    }
}
