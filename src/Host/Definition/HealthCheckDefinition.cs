using System.Collections.Immutable;

namespace Berth.Host;

/// <summary>How to tell that a service is healthy, and how patiently.</summary>
public sealed record HealthCheckDefinition
{
    public required HealthCheckKind Kind { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Http"/>: the path to GET; any 2xx is healthy.</summary>
    public string? HttpPath { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Command"/>: the program and arguments run inside the container.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    public int Retries { get; init; } = 3;

    /// <summary>Failures during this period after start do not count against <see cref="Retries"/>.</summary>
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
}

public enum HealthCheckKind
{
    Http,
    Tcp,
    Command,
}
