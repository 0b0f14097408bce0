using System.Collections.Immutable;

namespace Berth.Host.Tests.Configuration;

/// <summary>Stacks and host environments for the configuration tests, built by hand as generated code would build them.</summary>
internal static class ConfigurationStacks
{
    public static StackDefinition Stack(string environment, string sourceDirectory, ServiceDefinition[] services, SecretDefinition[]? secrets = null) => new()
    {
        Name = "shop",
        Environment = environment,
        DotnetEnvironment = environment == "prod" ? "Production" : "Development",
        SourceDirectory = sourceDirectory,
        Services = [.. services],
        Secrets = [.. secrets ?? []],
    };

    public static ServiceDefinition Service(string name, (string Key, string Value)[]? env = null, (string Key, string Value)[]? config = null, string[]? secrets = null) => new()
    {
        Name = name,
        Image = "docker.io/library/busybox",
        Env = ToMap(env),
        Config = ToMap(config),
        Secrets = [.. secrets ?? []],
    };

    /// <summary>A host environment holding exactly <paramref name="variables"/>: nothing leaks in from the test process.</summary>
    public static Func<string, string?> HostVariables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    private static ImmutableSortedDictionary<string, string> ToMap((string Key, string Value)[]? entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (entries ?? []).Select(e => KeyValuePair.Create(e.Key, e.Value)));
}
