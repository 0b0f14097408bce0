namespace Berth.Runtime.Containers;

/// <summary>Where the runtime keeps state and finds the init it starts in every container.</summary>
public sealed record ContainerRuntimeOptions
{
    /// <summary>Per-container state lives in <c>STATE/containers/ID</c>. Default: <see cref="RuntimePaths.StateDirectory"/>.</summary>
    public string StateDirectory { get; init; } = RuntimePaths.StateDirectory;

    /// <summary>
    /// The init: a native executable, or a .NET assembly (<c>.dll</c>) run by <see cref="DotnetHost"/>. Default: the
    /// native init shipped for this machine, else the managed one, next to the application (see <see cref="InitLocator"/>).
    /// </summary>
    public string InitPath { get; init; } = InitLocator.Find(AppContext.BaseDirectory);

    /// <summary>The dotnet host for a managed init. Default: see <see cref="DotnetHostLocator.Find"/>.</summary>
    public string? DotnetHost { get; init; }

    /// <summary>The cgroup path, below this process's own cgroup, that holds the containers' cgroups.</summary>
    public string CgroupParent { get; init; } = RuntimePaths.CgroupParentName;

    /// <summary>How long the init may take, once it has its instructions, to set the container up and exec the service.</summary>
    public TimeSpan InitSetupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the init may take to connect back before the start counts as failed.</summary>
    public TimeSpan InitConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
