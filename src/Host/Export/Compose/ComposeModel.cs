using YamlDotNet.Serialization;

namespace Berth.Host.Export.Compose;

// The part of the Compose Specification an export writes, in the order a person reads a service. Property names are
// written in snake_case; null and empty values are left out. Only what both the current Compose Specification and
// docker-compose 1.29 (Debian 12's) accept: no top-level `name`, `pids_limit` rather than deploy's `pids`.

/// <summary>A compose.yaml.</summary>
internal sealed class ComposeFile
{
    public OrderedDictionary<string, ComposeService> Services { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, ComposeNetwork> Networks { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, ComposeVolume> Volumes { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, ComposeSecret> Secrets { get; } = new(StringComparer.Ordinal);
}

internal sealed class ComposeService
{
    public string? Image { get; set; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Command { get; set; }

    public string? User { get; set; }

    public bool? ReadOnly { get; set; }

    public bool? Init { get; set; }

    public List<string>? CapDrop { get; set; }

    public List<string>? CapAdd { get; set; }

    public List<string>? SecurityOpt { get; set; }

    public SortedDictionary<string, string>? Environment { get; set; }

    public List<string>? Secrets { get; set; }

    public List<ComposeMount>? Volumes { get; set; }

    public OrderedDictionary<string, ComposeDependency>? DependsOn { get; set; }

    public ComposeHealthcheck? Healthcheck { get; set; }

    public string? Restart { get; set; }

    public string? StopGracePeriod { get; set; }

    public ComposeDeploy? Deploy { get; set; }

    public int? PidsLimit { get; set; }

    public List<string>? Ports { get; set; }

    public string? NetworkMode { get; set; }

    public List<string>? Networks { get; set; }
}

internal sealed class ComposeMount
{
    public required string Type { get; set; }

    public string? Source { get; set; }

    public required string Target { get; set; }

    public bool? ReadOnly { get; set; }

    public ComposeTmpfs? Tmpfs { get; set; }
}

internal sealed class ComposeTmpfs
{
    public long? Size { get; set; }
}

internal sealed class ComposeDependency
{
    public required string Condition { get; set; }
}

internal sealed class ComposeHealthcheck
{
    public required List<string> Test { get; set; }

    public string? Interval { get; set; }

    public string? Timeout { get; set; }

    public int? Retries { get; set; }

    public string? StartPeriod { get; set; }
}

internal sealed class ComposeDeploy
{
    public int? Replicas { get; set; }

    public ComposeResources? Resources { get; set; }
}

internal sealed class ComposeResources
{
    public ComposeLimits? Limits { get; set; }
}

internal sealed class ComposeLimits
{
    public string? Cpus { get; set; }

    public string? Memory { get; set; }
}

internal sealed class ComposeNetwork
{
    public bool? Internal { get; set; }
}

/// <summary>A named volume; Compose's defaults (a local volume, named after the project) are what Berth's are.</summary>
internal sealed class ComposeVolume;

internal sealed class ComposeSecret
{
    public required string File { get; set; }
}
