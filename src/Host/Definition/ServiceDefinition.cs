using System.Collections.Immutable;

namespace Berth.Host;

/// <summary>One microservice of a stack, resolved for one environment. Defaults match Compose where it has one.</summary>
public sealed record ServiceDefinition
{
    public required string Name { get; init; }

    /// <summary>Path to the service's project file, relative to the stack directory; null for an image service.</summary>
    public string? Project { get; init; }

    /// <summary>The image or root filesystem the service runs from; null for a project service.</summary>
    public string? Image { get; init; }

    /// <summary>Replaces the image's entrypoint (program and leading arguments); empty keeps the image's.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>Arguments passed to the program; replace the image's default arguments.</summary>
    public ImmutableArray<string> Args { get; init; } = [];

    /// <summary>The port the service listens on inside its container, if any.</summary>
    public int? Port { get; init; }

    public ServiceProtocol Protocol { get; init; } = ServiceProtocol.Http;

    public int Replicas { get; init; } = 1;

    /// <summary>The user (name, uid or uid:gid) the service runs as; null means Berth's non-root default.</summary>
    public string? User { get; init; }

    /// <summary>Mounts the root filesystem read-only.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Environment variables, with <c>${VAR}</c> interpolation still to be applied from the host at run time.</summary>
    public ImmutableSortedDictionary<string, string> Env { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>.NET configuration keys (<c>Section:Key</c>), delivered as <c>Section__Key</c> variables.</summary>
    public ImmutableSortedDictionary<string, string> Config { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Names of the stack secrets this service receives at <c>/run/secrets/NAME</c>.</summary>
    public ImmutableArray<string> Secrets { get; init; } = [];

    public ImmutableArray<ServiceDependency> DependsOn { get; init; } = [];

    public HealthCheckDefinition? Health { get; init; }

    public RestartPolicy Restart { get; init; } = RestartPolicy.No;

    public ResourceLimits Limits { get; init; } = new();

    public ImmutableArray<VolumeDefinition> Volumes { get; init; } = [];

    /// <summary>Gateway path prefixes this service serves.</summary>
    public ImmutableArray<string> Routes { get; init; } = [];

    /// <summary>Raw TCP ports published on host loopback.</summary>
    public ImmutableArray<PortMapping> Ports { get; init; } = [];

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Capabilities added back to the empty default set (names without the <c>CAP_</c> prefix).</summary>
    public ImmutableArray<string> CapAdd { get; init; } = [];

    public NetworkMode Network { get; init; } = NetworkMode.Isolated;

    /// <summary>
    /// Runs Berth's init as the container's PID 1, which starts the service, reaps orphaned processes and forwards
    /// signals (Compose's <c>init: true</c>). Off by default: the service itself is PID 1.
    /// </summary>
    public bool Init { get; init; }
}
