namespace Berth.Generator.Model;

/// <summary>
/// Everything the emitter needs for one stack, as values only (no syntax, no symbols, no locations), so an edit
/// that changes no meaning (a comment, a reordering of whitespace) leaves it equal and emits nothing new.
/// </summary>
internal sealed record StackModel(
    string Name,
    string Identifier,
    string SourceDirectory,
    string DefaultEnvironment,
    EquatableArray<NamedItem> Services,
    EquatableArray<NamedItem> Secrets,
    EquatableArray<EnvironmentModel> Environments);

/// <summary>A name from stack.toml and the C# identifier it becomes.</summary>
internal sealed record NamedItem(string Name, string Identifier);

/// <summary>The stack resolved for one environment.</summary>
internal sealed record EnvironmentModel(
    string Name,
    string Identifier,
    string DotnetName,
    GatewaySpec Gateway,
    EquatableArray<ServiceSpec> Services,
    EquatableArray<SecretSpec> Secrets);

internal sealed record GatewaySpec(string Bind, int Port);

internal sealed record SecretSpec(string Name, string SourceKind, string Source);

internal sealed record KeyValue(string Key, string Value);

internal sealed record DependencySpec(string Service, string Condition);

internal sealed record HealthSpec(
    string Kind,
    string? HttpPath,
    EquatableArray<string> Command,
    long? IntervalMs,
    long? TimeoutMs,
    int? Retries,
    long? StartPeriodMs);

internal sealed record VolumeSpec(string Kind, string? Source, string Target, bool ReadOnly, long? SizeBytes);

internal sealed record PortSpec(int HostPort, int ContainerPort);

/// <summary>A service as declared after merging; null or empty means "not set", so the host's default applies.</summary>
internal sealed record ServiceSpec
{
    public string Name { get; init; } = "";
    public string? Project { get; init; }
    public string? Image { get; init; }
    public EquatableArray<string> Command { get; init; } = EquatableArray<string>.Empty;
    public EquatableArray<string> Args { get; init; } = EquatableArray<string>.Empty;
    public int? Port { get; init; }
    public string? Protocol { get; init; }
    public int? Replicas { get; init; }
    public string? User { get; init; }
    public bool? ReadOnly { get; init; }
    public EquatableArray<KeyValue> Env { get; init; } = EquatableArray<KeyValue>.Empty;
    public EquatableArray<KeyValue> Config { get; init; } = EquatableArray<KeyValue>.Empty;
    public EquatableArray<string> Secrets { get; init; } = EquatableArray<string>.Empty;
    public EquatableArray<DependencySpec> DependsOn { get; init; } = EquatableArray<DependencySpec>.Empty;
    public HealthSpec? Health { get; init; }
    public string? Restart { get; init; }
    public long? MemoryBytes { get; init; }
    public double? Cpus { get; init; }
    public int? Pids { get; init; }
    public EquatableArray<VolumeSpec> Volumes { get; init; } = EquatableArray<VolumeSpec>.Empty;
    public EquatableArray<string> Routes { get; init; } = EquatableArray<string>.Empty;
    public EquatableArray<PortSpec> Ports { get; init; } = EquatableArray<PortSpec>.Empty;
    public long? StopGracePeriodMs { get; init; }
    public EquatableArray<string> CapAdd { get; init; } = EquatableArray<string>.Empty;
    public string? Network { get; init; }
    public bool? Init { get; init; }
}
