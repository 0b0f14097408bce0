namespace Berth.Runtime.Filesystem;

/// <summary>The <c>MS_*</c> flags of <c>mount(2)</c> (linux/mount.h); the values are the same on every architecture.</summary>
[Flags]
#pragma warning disable CA1028 // The kernel's flags are an unsigned long.
public enum MountFlags : ulong
#pragma warning restore CA1028
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>MS_RDONLY</c>.</summary>
    ReadOnly = 1,

    /// <summary><c>MS_NOSUID</c>: set-user-ID and file capabilities are ignored on exec.</summary>
    NoSuid = 2,

    /// <summary><c>MS_NODEV</c>: device nodes cannot be opened.</summary>
    NoDev = 4,

    /// <summary><c>MS_NOEXEC</c>.</summary>
    NoExec = 8,

    /// <summary><c>MS_SYNCHRONOUS</c>.</summary>
    Synchronous = 16,

    /// <summary><c>MS_REMOUNT</c>: change the flags of an existing mount.</summary>
    Remount = 32,

    /// <summary><c>MS_MANDLOCK</c>.</summary>
    MandatoryLocking = 64,

    /// <summary><c>MS_DIRSYNC</c>.</summary>
    DirectorySync = 128,

    /// <summary><c>MS_NOSYMFOLLOW</c>.</summary>
    NoSymlinkFollow = 256,

    /// <summary><c>MS_NOATIME</c>.</summary>
    NoAccessTime = 1024,

    /// <summary><c>MS_NODIRATIME</c>.</summary>
    NoDirectoryAccessTime = 2048,

    /// <summary><c>MS_BIND</c>.</summary>
    Bind = 4096,

    /// <summary><c>MS_MOVE</c>.</summary>
    Move = 8192,

    /// <summary><c>MS_REC</c>: with <see cref="Bind"/> or a propagation type, apply to the whole subtree.</summary>
    Recursive = 16384,

    /// <summary><c>MS_SILENT</c>.</summary>
    Silent = 32768,

    /// <summary><c>MS_UNBINDABLE</c>.</summary>
    Unbindable = 1 << 17,

    /// <summary><c>MS_PRIVATE</c>: mount and unmount events neither propagate in nor out.</summary>
    Private = 1 << 18,

    /// <summary><c>MS_SLAVE</c>: events propagate in, not out.</summary>
    Slave = 1 << 19,

    /// <summary><c>MS_SHARED</c>.</summary>
    Shared = 1 << 20,

    /// <summary><c>MS_RELATIME</c>.</summary>
    RelativeAccessTime = 1 << 21,

    /// <summary><c>MS_STRICTATIME</c>.</summary>
    StrictAccessTime = 1 << 24,
}
