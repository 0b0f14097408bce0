using System.Collections.Immutable;

namespace Berth.Host.Tests;

/// <summary>A small stack built by hand, as generated code would build it.</summary>
internal static class TestStacks
{
    public static StackDescriptor Shop { get; } = new(
        "shop",
        [new StackEnvironment("dev", "Development"), new StackEnvironment("prod", "Production")],
        "dev",
        Resolve);

    private static StackDefinition Resolve(string environment) => new()
    {
        Name = "shop",
        Environment = environment,
        DotnetEnvironment = environment == "dev" ? "Development" : "Production",
        SourceDirectory = "/stacks/shop",
        Services =
        [
            new ServiceDefinition
            {
                Name = "catalog",
                Project = "../Catalog/Catalog.csproj",
                Replicas = environment == "prod" ? 2 : 1,
                Health = new HealthCheckDefinition { Kind = HealthCheckKind.Http, HttpPath = "/health", Interval = TimeSpan.FromSeconds(90) },
                Secrets = ["api_key"],
                Config = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("Catalog:PageSize", "20")]),
            },
        ],
        Secrets = [environment == "prod" ? new SecretDefinition("api_key", SecretSourceKind.Env, "SHOP_API_KEY") : new SecretDefinition("api_key", SecretSourceKind.File, "secrets/api_key.txt")],
    };
}
