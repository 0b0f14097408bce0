namespace Berth.Runtime.Containers;

/// <summary>
/// What to run in a container, as plain data: the host and tests build it directly. Paths of the process are as
/// the container sees them.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>A name unique among running containers: letters, digits, '-', '_' and '.'; it names the state directory.</summary>
    public required string Id { get; init; }

    /// <summary>The program to execute: an absolute path (no PATH search, as in an OCI spec).</summary>
    public required string Executable { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>
    /// The process's environment; nothing of the host's is passed on. Where it has no <c>PATH</c> or <c>HOME</c>, the
    /// service gets Docker's: the default search path, and the user's home in the container's <c>/etc/passwd</c>
    /// (<c>/</c> when the user is not listed).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>The container's host name; defaults to its <see cref="Id"/>.</summary>
    public string? Hostname { get; init; }

    /// <summary>
    /// The container's own root filesystem: a directory through overlayfs, or the .NET template. Null leaves the
    /// host's files in view (mount, PID and the other namespaces still apply): for tests of the runtime itself.
    /// </summary>
    public Filesystem.RootFilesystem? Root { get; init; }

    /// <summary>Mounts the root read-only; <c>/tmp</c>, secrets and writable volumes stay writable.</summary>
    public bool ReadOnlyRoot { get; init; }

    /// <summary>
    /// More <c>/etc/hosts</c> lines (need <see cref="Root"/>): the names of the services this one may reach, each on a
    /// loopback address where the host listens for it inside the container's network.
    /// </summary>
    public IReadOnlyList<Filesystem.HostEntry> Hosts { get; init; } = [];

    /// <summary>Bind and tmpfs volumes (need <see cref="Root"/>).</summary>
    public IReadOnlyList<Filesystem.Volume> Volumes { get; init; } = [];

    /// <summary>Files at <c>/run/secrets/NAME</c>, mode 0400, owned by the service's user, never on disk (need <see cref="Root"/>).</summary>
    public IReadOnlyList<Filesystem.SecretFile> Secrets { get; init; } = [];

    /// <summary>
    /// The user to run as: a name, uid, <c>uid:gid</c> or <c>name:group</c>, looked up in the container's
    /// <c>/etc/passwd</c> and <c>/etc/group</c>. Null runs the service as nobody (65534:65534), never as root.
    /// </summary>
    public string? User { get; init; }

    /// <summary>
    /// Capabilities the service keeps (kernel names, with or without <c>CAP_</c>, any case); every other one is
    /// dropped. <c>ALL</c> keeps every capability the host has (<see cref="Security.AddedCapabilities.Available"/>).
    /// </summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>
    /// The system calls the service may make; the last step before it runs, after no_new_privs. Default: the
    /// equivalent of Docker's default profile. Null runs the service unconfined, which only a test should want.
    /// </summary>
    public Seccomp.SeccompProfile? Seccomp { get; init; } = Berth.Runtime.Seccomp.SeccompProfile.Default;

    /// <summary>Memory (no swap), CPU and PID limits, enforced by the container's cgroup.</summary>
    public Cgroups.CgroupLimits Limits { get; init; } = Cgroups.CgroupLimits.None;

    /// <summary>
    /// A private network namespace with only <c>lo</c> (the default; the host reaches in through
    /// <see cref="Container.Network"/>), or the host's network.
    /// </summary>
    public Networking.NetworkMode Network { get; init; } = Networking.NetworkMode.Private;

    /// <summary>
    /// Keeps Berth's init as PID 1, as <c>docker run --init</c> does: it starts the service as its child, reaps every
    /// process that ends in the container (orphans included), forwards SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
    /// SIGUSR2, SIGWINCH and SIGCONT to the service, and exits with the service's exit code, or 128 + N when signal N
    /// killed it, so <see cref="Container.Exited"/> reads as without it. For services that start processes they do
    /// not wait for, or that would ignore SIGTERM as PID 1 (the kernel drops signals to a namespace's PID 1 that has
    /// no handler for them). The init's memory and threads count against <see cref="Limits"/> for the container's
    /// life. Cannot be combined with the SYS_PTRACE capability: the init's runtime threads keep the privileges it
    /// started with.
    /// </summary>
    public bool Init { get; init; }
}
