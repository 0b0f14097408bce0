using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Filesystem;
using Berth.Runtime.Init;
using Berth.Runtime.Networking;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Security;

namespace Berth.Runtime.Containers;

/// <summary>
/// Creates containers: a state directory, the init started in new namespaces, the instructions handed to it
/// over a Unix socket, and either a running <see cref="Container"/> or a <see cref="ContainerStartException"/>
/// that says why, with everything made so far removed.
/// </summary>
public sealed partial class ContainerRuntime
{
    private readonly ContainerRuntimeOptions _options;
    private readonly Lazy<CgroupFactory> _cgroups;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(SeccompProfile Profile, string CapAdd), IReadOnlyList<ulong>> _seccompFilters = new();

    public ContainerRuntime(ContainerRuntimeOptions? options = null)
    {
        _options = options ?? new ContainerRuntimeOptions();
        _cgroups = new Lazy<CgroupFactory>(() => new CgroupFactory(CgroupLayout.Detect(), _options.CgroupParent));
    }

    public async Task<Container> StartAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IdPattern().IsMatch(spec.Id))
        {
            throw new ArgumentException($"Container id '{spec.Id}' must be 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.", nameof(spec));
        }

        if (!spec.Executable.StartsWith('/'))
        {
            throw new ArgumentException($"The executable '{spec.Executable}' must be an absolute path inside the container.", nameof(spec));
        }

        if (!File.Exists(_options.InitPath))
        {
            throw new ContainerStartException(spec.Id, "init", $"the container init {_options.InitPath} does not exist: it is built next to the application (see {nameof(InitLocator)}), or set {nameof(ContainerRuntimeOptions)}.{nameof(ContainerRuntimeOptions.InitPath)}");
        }

        if (!Enum.IsDefined(spec.Network))
        {
            throw new ArgumentException($"Unknown network mode {spec.Network}.", nameof(spec));
        }

        var (user, capabilities) = ResolvePrivileges(spec);
        if (spec.Init && capabilities.Contains(LinuxCapability.SysPtrace))
        {
            // Only the init's thread that starts the service drops its privileges; the runtime's other threads keep
            // them, and a service that may trace processes could take one of those over.
            throw new ContainerStartException(spec.Id, "capabilities", "SYS_PTRACE cannot be added in init mode: the service could trace the init, whose other threads keep the privileges it started with");
        }

        var seccompFilter = CompileSeccomp(spec, capabilities);
        var directory = ContainerStateDirectory.Create(_options.StateDirectory, spec.Id);
        SpawnedProcess? spawned = null;
        Cgroup? cgroup = null;
        ContainerNetwork? network = null;
        try
        {
            ContainerOwner.Current.WriteTo(directory);
            var socketPath = Path.Combine(directory, "init.sock");
            if (InitCommandLine.SocketPathProblem(socketPath) is { } problem)
            {
                throw new ContainerStartException(spec.Id, "state", problem);
            }

            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);

            try
            {
                spawned = NamespaceSpawner.Start(InitCommandLine.StartInfo(_options, "--socket", socketPath), Namespaces(spec.Network));
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
            {
                throw new ContainerStartException(spec.Id, "init", $"cannot start the container init {_options.InitPath}: {e.Message}");
            }

            var process = spawned.Process;
            process.StandardInput.Close();

            // While the init starts up (it only connects and waits): the root's layout, the cgroup, the network.
            var plan = PrepareFilesystem(spec, user.Identity);
            try
            {
                cgroup = _cgroups.Value.Create(spec.Id, spec.Limits);
            }
            catch (CgroupException e)
            {
                throw new ContainerStartException(spec.Id, "cgroup", e.Message);
            }

            network = OpenNetwork(spec, process);
            var handshake = new InitHandshake(process, _options, "the service", (stage, reason) => new ContainerStartException(spec.Id, stage, reason));
            using var init = await handshake.AcceptAsync(listener, cancellationToken).ConfigureAwait(false);

            // The init waits for its instructions, so it is in the cgroup before anything of the service runs.
            try
            {
                cgroup.AddProcess(process.Id);
            }
            catch (CgroupException e)
            {
                throw new ContainerStartException(spec.Id, "cgroup", e.Message);
            }

            var service = new ProcessCommand(spec.Executable, spec.Args, ServiceEnvironment.Of(spec.Environment, user.Home), spec.WorkingDirectory);
            var privileges = new ProcessPrivileges(
                user.Identity.Uid,
                user.Identity.Gid,
                user.Identity.SupplementaryGroups,
                capabilities.Select(c => c.ToKernelName()).ToList(),
                seccompFilter);
            var instructions = new InitInstructions(spec.Hostname ?? spec.Id, service, privileges, plan?.ToJson(), spec.Init);
            await handshake.HandOverAsync(init, descriptors: null, instructions, InitJsonContext.Default.InitInstructions, cgroup, cancellationToken).ConfigureAwait(false);
            var exec = new ExecLauncher(spec.Id, directory, _options, process, cgroup, service, privileges, user.Home);
            return new Container(spec.Id, spawned, cgroup, network, _options.StateDirectory, exec);
        }
        catch (Exception startFailure)
        {
            await CleanUpFailedStartAsync(spec.Id, spawned, cgroup, network, startFailure).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Host networking is the container's namespaces less the network one.</summary>
    private static int Namespaces(NetworkMode network) =>
        network == NetworkMode.Host ? NamespaceSpawner.ContainerNamespaces & ~Tmds.Linux.LibC.CLONE_NEWNET : NamespaceSpawner.ContainerNamespaces;

    /// <summary>
    /// The container's socket factory; a private network is set up (<c>lo</c> up) before the init has its
    /// instructions, so the service finds it ready.
    /// </summary>
    private static ContainerNetwork OpenNetwork(ContainerSpec spec, Process init)
    {
        try
        {
            return spec.Network == NetworkMode.Host ? ContainerNetwork.Host(spec.Id) : ContainerNetwork.OfInit(spec.Id, init);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new ContainerStartException(spec.Id, "network", e.Message);
        }
    }

    /// <summary>Removes everything a failed start made, each step on its own, so one failing hides neither the others nor the cause.</summary>
    private async Task CleanUpFailedStartAsync(string id, SpawnedProcess? spawned, Cgroup? cgroup, ContainerNetwork? network, Exception cause)
    {
        var steps = new CleanupSteps();
        if (network is not null)
        {
            await steps.Run(network.Close).ConfigureAwait(false);
        }

        if (spawned is not null)
        {
            await steps.RunAsync(() => ChildProcess.KillAsync(spawned.Process)).ConfigureAwait(false);
            spawned.Release();
        }

        if (cgroup is not null)
        {
            await steps.RunAsync(() => cgroup.DeleteAsync(CancellationToken.None)).ConfigureAwait(false);
        }

        await steps.Run(() => ContainerStateDirectory.Remove(_options.StateDirectory, id)).ConfigureAwait(false);

        if (steps.Problems.Count > 0)
        {
            // The start's own error stays the one thrown; what could not be cleaned up goes with it.
            cause.Data["Berth.CleanupFailures"] = string.Join("; ", steps.Problems.Select(p => p.Message));
        }
    }

    /// <summary>
    /// The filter for the spec's profile and the capabilities the service keeps (what <c>ALL</c> resolved to, not the
    /// word), compiled once per runtime and reused.
    /// </summary>
    private IReadOnlyList<ulong>? CompileSeccomp(ContainerSpec spec, IReadOnlyList<LinuxCapability> capabilities)
    {
        if (spec.Seccomp is not { } profile)
        {
            return null;
        }

        try
        {
            var names = capabilities.Select(c => c.ToKernelName()).ToList();
            return _seccompFilters.GetOrAdd(
                (profile, string.Join(',', names)),
                key => BpfInstructionPacking.Pack(SeccompFilter.Compile(key.Profile.WithCapabilities(names))));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ContainerStartException(spec.Id, "seccomp", e.Message);
        }
    }

    /// <summary>
    /// Removes what containers of a host that died left behind (a host killed with SIGKILL cleans nothing up;
    /// its containers died with it): their cgroups, mounts and state. Containers whose host still runs are left
    /// alone, and so is every cgroup this state directory does not name, which may be another host's. Call it when
    /// a host starts. Returns the ids removed.
    /// </summary>
    /// <remarks>
    /// A dead host's container whose cgroup has a process in it is kept, state and all, for a later call: its own
    /// processes died with it, so the process is another host's that has since taken over the empty cgroup of the
    /// same name (a host with another state directory and the same cgroup parent). The id stays taken meanwhile.
    /// </remarks>
    public async Task<IReadOnlyList<string>> RemoveLeftoversAsync(CancellationToken cancellationToken = default)
    {
        var containers = Path.Combine(_options.StateDirectory, "containers");
        if (!Directory.Exists(containers))
        {
            return [];
        }

        var abandoned = Directory.EnumerateDirectories(containers)
            .Where(HasDeadOwner)
            .Select(Path.GetFileName)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (abandoned.Count == 0)
        {
            return [];
        }

        var janitor = new CgroupJanitor(_cgroups.Value);
        await janitor.RemoveLeftoversAsync(abandoned.Contains, cancellationToken).ConfigureAwait(false);
        var inUse = janitor.FindLeftovers(abandoned.Contains).ToHashSet(StringComparer.Ordinal);

        var removed = new List<string>();
        foreach (var id in abandoned.Where(id => !inUse.Contains(id)).Order(StringComparer.Ordinal))
        {
            ContainerStateDirectory.Remove(_options.StateDirectory, id);
            removed.Add(id);
        }

        return removed;
    }

    /// <summary>Whether a container's state directory names a host that is gone.</summary>
    private static bool HasDeadOwner(string containerDirectory)
    {
        // No owner file: a start was interrupted before it wrote one, which also means its host is gone
        // unless it is starting right now; leave those younger than a minute to their host.
        var owner = ContainerOwner.ReadFrom(containerDirectory);
        return owner is null
            ? Directory.GetCreationTimeUtc(containerDirectory) <= DateTime.UtcNow.AddMinutes(-1)
            : !owner.IsAlive;
    }

    /// <summary>
    /// Resolves the user and the capabilities before anything is made, so a bad name fails fast and cleanly:
    /// in the image's /etc/passwd, or the host's for a container without a root filesystem of its own.
    /// </summary>
    private static (ResolvedUser User, IReadOnlyList<LinuxCapability> Capabilities) ResolvePrivileges(ContainerSpec spec)
    {
        try
        {
            var users = spec.Root switch
            {
                null => PasswdDatabase.Load("/"),
                // The top-most layer that has the file is the one the container will see.
                DirectoryRootFilesystem image => PasswdDatabase.Load(image.Layers.FirstOrDefault(l => File.Exists(Path.Combine(l, "etc", "passwd"))) ?? image.Layers[0]),

                // The .NET template's /etc/passwd is generated for the service's user: numeric users only.
                _ => PasswdDatabase.Empty,
            };
            var user = users.Resolve(spec.User);
            if (spec.Root is DotnetRootFilesystem)
            {
                // HOME is what the generated /etc/passwd says: /tmp, writable, for any user but root.
                var generated = PasswdDatabase.Parse(EtcFiles.Passwd(ContainerUserFor(user.Identity)), groupText: null);
                user = user with { Home = generated.Resolve(user.Identity.Uid.ToString(CultureInfo.InvariantCulture)).Home };
            }

            return (user, ResolveCapabilities(spec));
        }
        catch (Exception e) when (e is UserLookupException or IOException or UnauthorizedAccessException)
        {
            throw new ContainerStartException(spec.Id, "user", e.Message);
        }
    }

    /// <summary>The capabilities <c>cap_add</c> names, <c>ALL</c> standing for every one the host has; kernel order.</summary>
    private static IReadOnlyList<LinuxCapability> ResolveCapabilities(ContainerSpec spec)
    {
        try
        {
            return AddedCapabilities.Parse(spec.CapAdd).ToList();
        }
        catch (Exception e) when (e is FormatException or PrivilegeException)
        {
            throw new ContainerStartException(spec.Id, "capabilities", e.Message);
        }
    }

    /// <summary>The service's user as the filesystem names it: root, or "service" (the .NET template's passwd entry).</summary>
    private static ContainerUser ContainerUserFor(UserIdentity user) => new(user.Uid == 0 ? "root" : "service", user.Uid, user.Gid);

    /// <summary>Lays out the container's root on the host (no mounts yet); the init mounts it from inside.</summary>
    private ContainerFilesystemPlan? PrepareFilesystem(ContainerSpec spec, UserIdentity user)
    {
        if (spec.Root is null)
        {
            return spec.Volumes.Count == 0 && spec.Secrets.Count == 0 && spec.Hosts.Count == 0
                ? null
                : throw new ContainerStartException(spec.Id, "filesystem", "volumes, secrets and hosts need a root filesystem (ContainerSpec.Root)");
        }

        var plan = new ContainerFilesystemPlan
        {
            ContainerId = spec.Id,
            StateDirectory = _options.StateDirectory,
            Root = spec.Root,
            ReadOnlyRoot = spec.ReadOnlyRoot,
            Hostname = spec.Hostname,
            Hosts = spec.Hosts,
            User = ContainerUserFor(user),
            Volumes = spec.Volumes,
            Secrets = spec.Secrets,
        };
        try
        {
            plan.Validate();
            ContainerFilesystem.Prepare(plan);
        }
        catch (Exception e) when (e is ArgumentException or IOException or ContainerFilesystemException or UnauthorizedAccessException)
        {
            throw new ContainerStartException(spec.Id, "filesystem", e.Message);
        }

        return plan;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex IdPattern();
}
