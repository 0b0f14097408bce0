namespace Berth.Host;

/// <summary>
/// What the generated stack type tells the host about itself: its name, its environments and how to resolve each.
/// The CLI and the hosting extensions work from this, so they need no generated types.
/// </summary>
public sealed class StackDescriptor
{
    private readonly Func<string, StackDefinition> _resolve;

    public StackDescriptor(
        string name,
        IReadOnlyList<StackEnvironment> environments,
        string defaultEnvironment,
        Func<string, StackDefinition> resolve)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(resolve);
        if (!environments.Any(e => e.Name == defaultEnvironment))
        {
            throw new ArgumentException($"The default environment '{defaultEnvironment}' is not one of the stack's environments.", nameof(defaultEnvironment));
        }

        Name = name;
        Environments = environments;
        DefaultEnvironment = defaultEnvironment;
        _resolve = resolve;
    }

    public string Name { get; }

    public IReadOnlyList<StackEnvironment> Environments { get; }

    public string DefaultEnvironment { get; }

    /// <summary>Returns the definition for a declared environment name.</summary>
    /// <exception cref="ArgumentException">No environment has that name.</exception>
    public StackDefinition Resolve(string environment) => _resolve(FindEnvironment(environment).Name);

    /// <summary>
    /// Picks the environment to run: the one asked for, else the one <c>DOTNET_ENVIRONMENT</c> names (by its
    /// stack name or its .NET name, e.g. <c>Production</c> for <c>prod</c>), else the stack's default. A
    /// <c>DOTNET_ENVIRONMENT</c> that names none of the stack's environments (a machine-wide setting meant for
    /// other apps) is passed over; a requested name that matches none is an error.
    /// </summary>
    /// <exception cref="ArgumentException">The requested name matches no environment.</exception>
    public string SelectEnvironment(string? requested, string? dotnetEnvironment = null)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            return FindEnvironment(requested).Name;
        }

        return string.IsNullOrEmpty(dotnetEnvironment) ? DefaultEnvironment : Match(dotnetEnvironment)?.Name ?? DefaultEnvironment;
    }

    private StackEnvironment FindEnvironment(string name) =>
        Match(name) ?? throw new ArgumentException(
            $"Stack '{Name}' has no environment '{name}'. Declared: {string.Join(", ", Environments.Select(e => e.Name))}.");

    private StackEnvironment? Match(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? Environments.FirstOrDefault(e => string.Equals(e.DotnetName, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An environment of a stack: its name in stack.toml and the .NET environment name services see.</summary>
public sealed record StackEnvironment(string Name, string DotnetName);
