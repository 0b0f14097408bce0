namespace Berth.Host.Configuration;

/// <summary>Everything a service's process gets in its environment from the stack, except networking variables.</summary>
public static class ServiceEnvironmentBuilder
{
    /// <summary>
    /// Builds the variables of <paramref name="service"/>'s process, in three layers where a later one wins on the same
    /// name: <c>DOTNET_ENVIRONMENT</c> and <c>ASPNETCORE_ENVIRONMENT</c> (the stack's .NET environment), then each
    /// <c>config</c> key as a variable (<c>Section:Key</c> → <c>Section__Key</c>, values as written), then each
    /// <c>env</c> entry with Compose interpolation applied from <paramref name="hostVariable"/>.
    /// </summary>
    /// <param name="hostVariable">The host's environment: a variable's value, null when it is not set.</param>
    /// <exception cref="StackConfigurationException">
    /// An <c>env</c> value needs a variable that is not set (<c>${VAR:?message}</c>) or is malformed; every such value
    /// of the service is listed.
    /// </exception>
    public static IReadOnlyDictionary<string, string> Build(StackDefinition stack, ServiceDefinition service, Func<string, string?> hostVariable)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(hostVariable);

        // Linux variable names are case-sensitive, so two spellings are two variables.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, text, fromEnv) in Layers(stack, service))
        {
            if (!fromEnv)
            {
                variables[name] = text;
                continue;
            }

            var found = new List<ComposeInterpolation.Problem>();
            variables[name] = ComposeInterpolation.Apply(text, hostVariable, found);
            problems.AddRange(found.Select(p => Describe(service, name, p)));
        }

        return problems.Count == 0 ? variables : throw new StackConfigurationException(stack.Name, stack.Environment, problems);
    }

    /// <summary>
    /// The variables of <paramref name="service"/> in the order their layers apply (a later one wins on the same
    /// name), values as written: <c>FromEnv</c> marks an <c>env</c> value, whose interpolation is still
    /// to be applied. Exports write these where the target interpolates (Compose) or apply it themselves.
    /// </summary>
    internal static IEnumerable<(string Name, string Value, bool FromEnv)> Layers(StackDefinition stack, ServiceDefinition service)
    {
        yield return ("DOTNET_ENVIRONMENT", stack.DotnetEnvironment, false);
        yield return ("ASPNETCORE_ENVIRONMENT", stack.DotnetEnvironment, false);
        foreach (var (key, value) in service.Config)
        {
            yield return (ToVariableName(key), value, false);
        }

        foreach (var (name, text) in service.Env)
        {
            yield return (name, text, true);
        }
    }

    /// <summary>
    /// The variable .NET configuration reads back as <paramref name="configurationKey"/>: the environment variables
    /// provider turns <c>__</c> into <c>:</c>, and ':' itself is not portable in a variable name.
    /// </summary>
    private static string ToVariableName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    private static string Describe(ServiceDefinition service, string name, ComposeInterpolation.Problem problem)
    {
        var where = $"service '{service.Name}', env {name} ({StackTomlPath.Of("services", service.Name, "env", name)} in stack.toml or its environment overlay)";
        return problem.Variable is { } variable
            ? $"{where}: {problem.Description}. Set {variable} in the environment that runs the stack, or give the value a default with ${{{variable}:-default}}."
            : $"{where}: invalid interpolation, {problem.Description}. Use ${{VAR}}, ${{VAR:-default}}, ${{VAR:?message}}, or $$ for a literal $.";
    }
}
