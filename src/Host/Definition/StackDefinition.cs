using System.Collections.Immutable;

namespace Berth.Host;

/// <summary>
/// A stack fully resolved for one environment: the base of stack.toml with that environment's overlay merged in.
/// The generator emits one per environment; nothing parses TOML at run time.
/// </summary>
public sealed record StackDefinition
{
    /// <summary>The stack's name from <c>[stack] name</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The environment this definition was resolved for, as declared (e.g. <c>dev</c>).</summary>
    public required string Environment { get; init; }

    /// <summary>The .NET host environment name services see (e.g. <c>Development</c> for <c>dev</c>).</summary>
    public required string DotnetEnvironment { get; init; }

    /// <summary>The directory that held stack.toml when the stack was compiled; relative paths resolve against it.</summary>
    public required string SourceDirectory { get; init; }

    public GatewayDefinition Gateway { get; init; } = new();

    /// <summary>Services in declaration order.</summary>
    public ImmutableArray<ServiceDefinition> Services { get; init; } = [];

    /// <summary>Secrets in declaration order, with the source each comes from in this environment.</summary>
    public ImmutableArray<SecretDefinition> Secrets { get; init; } = [];

    /// <summary>Returns the service named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The stack has no such service.</exception>
    public ServiceDefinition GetService(string name) =>
        Services.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"Stack '{Name}' has no service named '{name}'.");

    /// <summary>A copy with the service named <paramref name="name"/> changed: <c>stack.WithService("catalog", s =&gt; s with { Replicas = 2 })</c>.</summary>
    /// <exception cref="KeyNotFoundException">The stack has no such service.</exception>
    public StackDefinition WithService(string name, Func<ServiceDefinition, ServiceDefinition> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var service = GetService(name);
        return this with { Services = Services.Replace(service, change(service)) };
    }

    /// <summary>Returns the secret named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The stack has no such secret.</exception>
    public SecretDefinition GetSecret(string name) =>
        Secrets.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"Stack '{Name}' has no secret named '{name}'.");

    /// <summary>Resolves a path from stack.toml (relative to the stack's directory) to an absolute path.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, SourceDirectory);
}
