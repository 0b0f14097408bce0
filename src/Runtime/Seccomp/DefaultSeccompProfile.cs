namespace Berth.Runtime.Seccomp;

/// <summary>
/// <see cref="SeccompProfile.Default"/>: Docker's default seccomp profile (moby <c>profiles/seccomp/default.json</c>)
/// for a container with no capabilities, which is how Berth starts every service. Docker's file is an allowlist:
/// everything below is allowed; any other call fails with EPERM (its <c>defaultErrnoRet</c>).
/// </summary>
internal static class DefaultSeccompProfile
{
    private const int Eperm = 1;
    private const int Enosys = 38;

    // socket(2) family AF_VSOCK (linux/socket.h): host/guest sockets, denied as Docker does.
    private const uint AfVsock = 40;

    // clone(2) flags that create namespaces (linux/sched.h): CLONE_NEWNS 0x00020000, CLONE_NEWCGROUP 0x02000000,
    // CLONE_NEWUTS 0x04000000, CLONE_NEWIPC 0x08000000, CLONE_NEWUSER 0x10000000, CLONE_NEWPID 0x20000000,
    // CLONE_NEWNET 0x40000000. Docker's mask is the same value, 2114060288.
    private const ulong CloneNamespaceFlags = 0x7E020000;

    // personality(2) values Docker allows (linux/personality.h): PER_LINUX 0x0, PER_LINUX32 0x8, UNAME26 0x20000,
    // PER_LINUX32 | UNAME26 0x20008, and 0xffffffff, which only queries the current persona.
    private static readonly uint[] s_allowedPersonalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    /// <summary>
    /// Docker's unconditional allowlist, in Docker's order, less what Berth keeps behind capabilities
    /// (<see cref="CapabilitySyscalls"/>) or denies outright:
    /// <list type="bullet">
    /// <item><c>io_uring_setup</c>, <c>io_uring_enter</c>, <c>io_uring_register</c>: io_uring bypasses the
    /// per-call seccomp check for the work it submits and has been a steady source of kernel exploits; Docker 25
    /// and later deny it too.</item>
    /// <item><c>name_to_handle_at</c>: the other half of <c>open_by_handle_at</c>, the call behind the "shocker"
    /// container escape; allowed again with <c>DAC_READ_SEARCH</c> or <c>SYS_ADMIN</c>.</item>
    /// </list>
    /// Names of 32-bit ABIs (<c>chown32</c>, <c>*_time64</c>, <c>socketcall</c>, ...) stay in the list for parity and
    /// are skipped on x86_64 and aarch64, which lack them.
    /// </summary>
    private static readonly string[] s_dockerAllowlist =
    [
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir", "chmod",
        "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
        "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
        "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
        "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
        "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
        "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
        "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex", "futex_time64",
        "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32", "geteuid",
        "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
        "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
        "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt",
        "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch",
        "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
        "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill",
        "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr",
        "link", "linkat", "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr",
        "lstat", "lstat64", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat",
        "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify",
        "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
        "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "nanosleep",
        "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe",
        "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64",
        "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev",
        "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
        "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
        "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
        "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
        "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
        "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl",
        "semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg",
        "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups",
        "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32",
        "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid", "setsockopt",
        "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget",
        "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair",
        "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync", "sync_file_range",
        "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime",
        "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate", "truncate64",
        "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes",
        "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
    ];

    /// <summary>
    /// Calls Docker allows on one architecture only; unknown names are skipped on the other. Docker also allows
    /// <c>ptrace</c>, <c>process_vm_readv</c> and <c>process_vm_writev</c> on kernels 4.8 and later (where ptrace
    /// can no longer sidestep seccomp); Berth keeps them behind <c>SYS_PTRACE</c>, so a service that must inspect
    /// other processes (.NET's <c>createdump</c> does, for crash dumps) asks for it.
    /// </summary>
    private static readonly string[] s_architectureSpecific =
    [
        // x86_64: arch_prctl sets the thread pointer (every libc does, for TLS); modify_ldt serves 16-bit and Wine code.
        "arch_prctl", "modify_ldt",
    ];

    public static SeccompProfile Create()
    {
        var rules = new List<SyscallRule>
        {
            // socket(2) takes an int family, so only the low 32 bits count (see ArgumentCondition).
            new("socket", SeccompAction.Allow, ArgumentCondition.NotEqual32(0, AfVsock)),

            // clone(2) without namespace flags: threads, fork, vfork. The flags are argument 0 on x86_64 and on
            // aarch64 (CONFIG_CLONE_BACKWARDS only swaps the TLS and child-TID arguments), and the kernel reads
            // only their low 32 bits, where all the namespace flags are.
            new("clone", SeccompAction.Allow, ArgumentCondition.MaskedEqual(0, CloneNamespaceFlags, 0)),

            // clone3(2) passes its flags in memory a filter cannot read, so it cannot be allowed selectively. It must
            // fail with ENOSYS, not EPERM: glibc 2.34+ tries clone3 first in pthread_create and falls back to clone
            // only on ENOSYS. With EPERM no thread can start, and a .NET process cannot run at all.
            new("clone3", SeccompAction.Errno(Enosys)),
        };

        // personality(2) takes an unsigned int, so only the low 32 bits count.
        rules.AddRange(s_allowedPersonalities.Select(persona =>
            new SyscallRule("personality", SeccompAction.Allow, ArgumentCondition.Equal32(0, persona))));

        return new SeccompProfile(SeccompAction.Errno(Eperm), s_dockerAllowlist.Concat(s_architectureSpecific), rules);
    }
}
