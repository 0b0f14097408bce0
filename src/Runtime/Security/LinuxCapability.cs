namespace Berth.Runtime.Security;

/// <summary>
/// A Linux capability, numbered as the kernel numbers it (<c>linux/capability.h</c>, capabilities(7)). The member
/// names are the kernel's without <c>CAP_</c>, in .NET casing; <see cref="LinuxCapabilityNames"/> parses and
/// prints the kernel's spelling (<c>NET_BIND_SERVICE</c>), which is what a stack file uses.
/// </summary>
public enum LinuxCapability
{
    /// <summary>CAP_CHOWN: change any file's owner and group.</summary>
    Chown = 0,

    /// <summary>CAP_DAC_OVERRIDE: bypass file read, write and execute permission checks.</summary>
    DacOverride = 1,

    /// <summary>CAP_DAC_READ_SEARCH: bypass file read and directory search checks.</summary>
    DacReadSearch = 2,

    /// <summary>CAP_FOWNER: bypass checks that the caller owns the file.</summary>
    Fowner = 3,

    /// <summary>CAP_FSETID: keep set-user-ID and set-group-ID bits when a file is modified.</summary>
    Fsetid = 4,

    /// <summary>CAP_KILL: send signals to any process.</summary>
    Kill = 5,

    /// <summary>CAP_SETGID: change group IDs and supplementary groups.</summary>
    Setgid = 6,

    /// <summary>CAP_SETUID: change user IDs.</summary>
    Setuid = 7,

    /// <summary>CAP_SETPCAP: drop from the bounding set, add any bounding capability to the inheritable set.</summary>
    Setpcap = 8,

    /// <summary>CAP_LINUX_IMMUTABLE: set the immutable and append-only file attributes.</summary>
    LinuxImmutable = 9,

    /// <summary>CAP_NET_BIND_SERVICE: bind ports below <c>ip_unprivileged_port_start</c> (1024 by default).</summary>
    NetBindService = 10,

    /// <summary>CAP_NET_BROADCAST: unused by the kernel.</summary>
    NetBroadcast = 11,

    /// <summary>CAP_NET_ADMIN: configure interfaces, routes, firewalls.</summary>
    NetAdmin = 12,

    /// <summary>CAP_NET_RAW: raw and packet sockets.</summary>
    NetRaw = 13,

    /// <summary>CAP_IPC_LOCK: lock memory.</summary>
    IpcLock = 14,

    /// <summary>CAP_IPC_OWNER: bypass System V IPC permission checks.</summary>
    IpcOwner = 15,

    /// <summary>CAP_SYS_MODULE: load and unload kernel modules.</summary>
    SysModule = 16,

    /// <summary>CAP_SYS_RAWIO: I/O port and raw device access.</summary>
    SysRawio = 17,

    /// <summary>CAP_SYS_CHROOT: chroot and change mount namespaces.</summary>
    SysChroot = 18,

    /// <summary>CAP_SYS_PTRACE: trace any process.</summary>
    SysPtrace = 19,

    /// <summary>CAP_SYS_PACCT: process accounting.</summary>
    SysPacct = 20,

    /// <summary>CAP_SYS_ADMIN: mounts, namespaces and much more.</summary>
    SysAdmin = 21,

    /// <summary>CAP_SYS_BOOT: reboot and kexec.</summary>
    SysBoot = 22,

    /// <summary>CAP_SYS_NICE: raise priorities, set other processes' scheduling.</summary>
    SysNice = 23,

    /// <summary>CAP_SYS_RESOURCE: override resource limits.</summary>
    SysResource = 24,

    /// <summary>CAP_SYS_TIME: set the system clock.</summary>
    SysTime = 25,

    /// <summary>CAP_SYS_TTY_CONFIG: vhangup and privileged terminal ioctls.</summary>
    SysTtyConfig = 26,

    /// <summary>CAP_MKNOD: create device files.</summary>
    Mknod = 27,

    /// <summary>CAP_LEASE: take leases on files one does not own.</summary>
    Lease = 28,

    /// <summary>CAP_AUDIT_WRITE: write to the kernel audit log.</summary>
    AuditWrite = 29,

    /// <summary>CAP_AUDIT_CONTROL: configure kernel auditing.</summary>
    AuditControl = 30,

    /// <summary>CAP_SETFCAP: set file capabilities.</summary>
    Setfcap = 31,

    /// <summary>CAP_MAC_OVERRIDE: override mandatory access control.</summary>
    MacOverride = 32,

    /// <summary>CAP_MAC_ADMIN: configure mandatory access control.</summary>
    MacAdmin = 33,

    /// <summary>CAP_SYSLOG: privileged syslog operations.</summary>
    Syslog = 34,

    /// <summary>CAP_WAKE_ALARM: timers that wake the system.</summary>
    WakeAlarm = 35,

    /// <summary>CAP_BLOCK_SUSPEND: block system suspend.</summary>
    BlockSuspend = 36,

    /// <summary>CAP_AUDIT_READ: read the audit log over multicast netlink.</summary>
    AuditRead = 37,

    /// <summary>CAP_PERFMON: performance monitoring (Linux 5.8).</summary>
    Perfmon = 38,

    /// <summary>CAP_BPF: privileged BPF operations (Linux 5.8).</summary>
    Bpf = 39,

    /// <summary>CAP_CHECKPOINT_RESTORE: checkpoint and restore (Linux 5.9).</summary>
    CheckpointRestore = 40,
}
