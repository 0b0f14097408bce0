using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Berth.Generator.Parsing;
using Berth.Generator.Toml;
using Berth.Host;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>
/// The annotated reference stack.toml at the repository root: the generator accepts it as is, it uses every key
/// and form of the format, and its environments resolve to what its comments say.
/// </summary>
public sealed class ReferenceStackTests(ReferenceStackFixture reference) : IClassFixture<ReferenceStackFixture>
{
    [Fact]
    public void ReferencesOnlyFilesThatExist()
    {
        var referenced = ExistingFiles.ReferencedPaths(reference.Tree).ToList();

        Assert.Contains(referenced, p => p.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.Contains(referenced, p => p.EndsWith(".txt", StringComparison.Ordinal));
        Assert.All(referenced, p => Assert.True(File.Exists(ExistingFiles.Resolve(reference.RootDirectory, p)), $"{p} does not exist"));
    }

    [Fact]
    public void GeneratesWithoutDiagnosticsAndCompilesCleanly()
    {
        var outcome = reference.Outcome;

        Assert.Null(outcome.Exception);
        Assert.True(outcome.Diagnostics.IsEmpty, string.Join(Environment.NewLine, outcome.Diagnostics));
        var source = Assert.Single(outcome.Sources);
        Assert.Equal("ShopStack.g.cs", source.HintName);
        var problems = outcome.CompilationProblems.ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void UsesEveryKeyOfEveryTable()
    {
        var used = KeysByTable(reference.Tree);
        var expected = new Dictionary<string, string[]>
        {
            ["root"] = StackParser.s_rootKeys,
            ["stack"] = StackParser.s_stackKeys,
            ["gateway"] = StackParser.s_gatewayKeys,
            ["service"] = ServiceBinder.Keys,
            ["health"] = ServiceBinder.s_healthKeys,
            ["limits"] = ServiceBinder.s_limitKeys,
            ["volume"] = ServiceBinder.s_volumeKeys,
            ["secret"] = StackParser.s_secretKeys,
            ["environment"] = StackParser.s_environmentKeys,
        };

        var missing = expected
            .SelectMany(table => table.Value
                .Where(key => !used.TryGetValue(table.Key, out var keys) || !keys.Contains(key))
                .Select(key => $"{table.Key}.{key}"))
            .ToList();

        Assert.True(missing.Count == 0, $"The reference stack.toml does not use: {string.Join(", ", missing)}");
    }

    [Fact]
    public void UsesEveryFormOfTheKeysThatHaveSeveral()
    {
        var services = Services(reference.Tree).ToList();
        var forms = new HashSet<string>();
        foreach (var service in services)
        {
            foreach (var key in new[] { "command", "args", "depends_on", "user" })
            {
                if (service.Find(key)?.Value is { } value)
                {
                    forms.Add($"{key}: {value.Description}");
                }
            }

            if (service.Find("health")?.Value is TomlTableNode health && health.Find("command")?.Value is { } check)
            {
                forms.Add($"health.command: {check.Description}");
            }

            foreach (var key in new[] { "volumes", "ports" })
            {
                if (service.Find(key)?.Value is TomlArrayNode items)
                {
                    forms.UnionWith(items.Items.Select(item => $"{key} item: {item.Description}"));
                }
            }
        }

        string[] expected =
        [
            "command: an array", "command: a string", "args: an array", "args: a string",
            "depends_on: an array", "depends_on: a table", "user: a string", "user: an integer",
            "health.command: an array", "health.command: a string",
            "volumes item: a string", "volumes item: a table", "ports item: a string", "ports item: an integer",
        ];
        Assert.Empty(expected.Except(forms));
    }

    [Fact]
    public void UsesEveryValueOfEveryChoice()
    {
        var definitions = reference.Environments.Select(reference.Resolve).ToList();
        var services = definitions.SelectMany(d => d.Services).ToList();

        AssertAll(services.Select(s => s.Protocol));
        AssertAll(services.Select(s => s.Restart));
        AssertAll(services.Select(s => s.Network));
        AssertAll(services.SelectMany(s => s.DependsOn).Select(d => d.Condition));
        AssertAll(services.Where(s => s.Health is not null).Select(s => s.Health!.Kind));
        AssertAll(services.SelectMany(s => s.Volumes).Select(v => v.Kind));
        AssertAll(definitions.SelectMany(d => d.Secrets).Select(s => s.SourceKind));

        // Both kinds of source, bind mounts by both kinds of host path, tmpfs with a size, read-only mounts.
        Assert.Contains(services, s => s.Project is not null);
        Assert.Contains(services, s => s.Image is not null);
        var volumes = services.SelectMany(s => s.Volumes).ToList();
        Assert.Contains(volumes, v => v.Kind == VolumeKind.Bind && v.Source!.StartsWith("./", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.Kind == VolumeKind.Bind && v.Source!.StartsWith('/'));
        Assert.Contains(volumes, v => v.Kind == VolumeKind.Tmpfs && v.SizeBytes is not null);
        Assert.Contains(volumes, v => v.ReadOnly);

        static void AssertAll<T>(IEnumerable<T> used)
            where T : struct, Enum =>
            Assert.Equal(Enum.GetValues<T>().Order(), used.Distinct().Order());
    }

    [Fact]
    public void DeclaresTheEnvironmentsWithTheirDotnetNames()
    {
        var descriptor = reference.Descriptor;

        Assert.Equal("shop", descriptor.Name);
        Assert.Equal("dev", descriptor.DefaultEnvironment);
        AssertSequence(
            [new StackEnvironment("dev", "Development"), new StackEnvironment("test", "Testing"), new StackEnvironment("prod", "Production")],
            descriptor.Environments);
    }

    [Fact]
    public void OverlaysMergeTablesByKey()
    {
        var dev = reference.Resolve("dev").GetService("catalog");
        var test = reference.Resolve("test").GetService("catalog");
        var prod = reference.Resolve("prod").GetService("catalog");

        Assert.Equal((1, 2, 4), (dev.Replicas, test.Replicas, prod.Replicas));

        // config: the key prod sets is replaced, the others stay.
        Assert.Equal(("20", "50"), (dev.Config["Catalog:PageSize"], prod.Config["Catalog:PageSize"]));
        Assert.Equal(dev.Config.Remove("Catalog:PageSize"), prod.Config.Remove("Catalog:PageSize"));
        AssertSequence(["EUR", "USD", "GBP"], prod.Config.Where(kv => kv.Key.StartsWith("Catalog:Currencies:", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));
        Assert.Equal("Information", prod.Config["Logging:LogLevel:Default"]);
        Assert.Equal("Host=catalog-db;Database=catalog;Username=catalog", prod.Config["ConnectionStrings:Catalog"]);

        // env: values are kept as written (interpolation happens when the stack runs); overlays add and replace.
        Assert.Equal(("debug", "${LOG_LEVEL:-info}", "warning"), (dev.Env["LOG_LEVEL"], test.Env["LOG_LEVEL"], prod.Env["LOG_LEVEL"]));
        Assert.Equal(("$$0.00", "4", "false"), (prod.Env["PRICE_FORMAT"], prod.Env["CATALOG_WORKERS"], prod.Env["CATALOG_READ_ONLY_MODE"]));
        Assert.False(dev.Env.ContainsKey("PUBLIC_URL"));
        Assert.StartsWith("${SHOP_PUBLIC_URL:?", prod.Env["PUBLIC_URL"], StringComparison.Ordinal);

        // limits: memory replaced, cpus and pids kept.
        Assert.Equal(new ResourceLimits { MemoryBytes = 256L << 20, Cpus = 0.5, Pids = 200 }, dev.Limits);
        Assert.Equal(new ResourceLimits { MemoryBytes = 512L << 20, Cpus = 0.5, Pids = 200 }, prod.Limits);

        // gateway: test changes the port only, prod both.
        Assert.Equal(new GatewayDefinition { Bind = "127.0.0.1", Port = 8080 }, reference.Resolve("dev").Gateway);
        Assert.Equal(new GatewayDefinition { Bind = "127.0.0.1", Port = 18080 }, reference.Resolve("test").Gateway);
        Assert.Equal(new GatewayDefinition { Bind = "0.0.0.0", Port = 80 }, reference.Resolve("prod").Gateway);
    }

    [Fact]
    public void OverlaysReplaceArraysAndAlternatives()
    {
        // Arrays replace.
        AssertSequence([new PortMapping(1025, 1025), new PortMapping(8025, 8025)], reference.Resolve("dev").GetService("mailpit").Ports);
        Assert.Empty(reference.Resolve("prod").GetService("mailpit").Ports);
        Assert.Equal(3, reference.Resolve("dev").GetService("catalog-db").Volumes.Length);
        Assert.Equal(
            new VolumeDefinition { Kind = VolumeKind.Tmpfs, Target = "/var/lib/postgresql/data", SizeBytes = 512L << 20 },
            Assert.Single(reference.Resolve("test").GetService("catalog-db").Volumes));

        // project and image.
        var devMigrations = reference.Resolve("dev").GetService("migrations");
        var testMigrations = reference.Resolve("test").GetService("migrations");
        Assert.Equal("examples/hello/Greeter/Greeter.csproj", devMigrations.Project);
        Assert.Null(devMigrations.Image);
        Assert.Null(testMigrations.Project);
        Assert.Equal("registry.example.com/shop/tools:ci", testMigrations.Image);
        AssertSequence(["dotnet", "Shop.Migrations.dll"], testMigrations.Command);
        AssertSequence(["--migrate", "--connection-name", "Catalog"], testMigrations.Args);

        // A health check's kind; the other health keys stay.
        var devHealth = reference.Resolve("dev").GetService("orders").Health!;
        var prodHealth = reference.Resolve("prod").GetService("orders").Health!;
        Assert.Equal(HealthCheckKind.Tcp, devHealth.Kind);
        Assert.Null(devHealth.HttpPath);
        Assert.Equal((HealthCheckKind.Http, "/health"), (prodHealth.Kind, prodHealth.HttpPath));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), (devHealth.Interval, prodHealth.Interval));

        // A secret's source.
        AssertSequence(
            [new SecretDefinition("db_password", SecretSourceKind.File, "examples/hello/secrets/db_password.txt"), new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey")],
            reference.Resolve("dev").Secrets);
        AssertSequence(
            [new SecretDefinition("db_password", SecretSourceKind.File, "examples/hello/secrets/db_password.txt"), new SecretDefinition("payment_api_key", SecretSourceKind.Env, "PAYMENT_API_KEY")],
            reference.Resolve("test").Secrets);
        AssertSequence(
            [new SecretDefinition("db_password", SecretSourceKind.Env, "SHOP_DB_PASSWORD"), new SecretDefinition("payment_api_key", SecretSourceKind.Env, "SHOP_PAYMENT_API_KEY")],
            reference.Resolve("prod").Secrets);
    }

    [Fact]
    public void ResolvesValuesAsTheCommentsSay()
    {
        var dev = reference.Resolve("dev");
        var catalog = dev.GetService("catalog");
        var db = dev.GetService("catalog-db");
        var cache = dev.GetService("cache");

        AssertSequence(["/api/catalog", "/catalog"], catalog.Routes);
        AssertSequence(
            [new ServiceDependency("migrations", DependencyCondition.Completed), new ServiceDependency("cache", DependencyCondition.Started)],
            catalog.DependsOn);
        AssertSequence(
            [new ServiceDependency("catalog-db", DependencyCondition.Healthy), new ServiceDependency("cache", DependencyCondition.Healthy)],
            dev.GetService("migrations").DependsOn);
        Assert.Equal(TimeSpan.FromSeconds(30), catalog.StopGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(90), dev.GetService("orders").StopGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), catalog.Health!.StartPeriod);
        AssertSequence(["pg_isready", "--username", "catalog", "--dbname", "catalog"], db.Health!.Command);
        AssertSequence(
            [
                new VolumeDefinition { Kind = VolumeKind.Named, Source = "catalog-data", Target = "/var/lib/postgresql/data" },
                new VolumeDefinition { Kind = VolumeKind.Bind, Source = "./data/catalog-seed", Target = "/docker-entrypoint-initdb.d", ReadOnly = true },
                new VolumeDefinition { Kind = VolumeKind.Tmpfs, Target = "/var/run/postgresql", SizeBytes = 16L << 20 },
            ],
            db.Volumes);
        Assert.Equal(new ResourceLimits { MemoryBytes = 64L << 20, Pids = 64 }, cache.Limits);
        Assert.Equal(new ResourceLimits { MemoryBytes = 32_000_000, Cpus = 0.1 }, dev.GetService("metrics").Limits);
        Assert.Equal(("999", "app", "1654:1654"), (cache.User, dev.GetService("orders").User, dev.GetService("migrations").User));
        Assert.Equal(0, dev.GetService("metrics").Replicas);
        Assert.Equal(NetworkMode.Host, dev.GetService("metrics").Network);
        Assert.Equal((true, false), (dev.GetService("migrations").Init, catalog.Init));
    }

    [Fact]
    public void GeneratedTypesNameEveryServiceAndSecret()
    {
        var stackType = reference.StackType;
        var environmentType = reference.Assembly.GetType("Shop.ShopEnvironment")!;
        var prod = Activator.CreateInstance(stackType, Enum.Parse(environmentType, "Prod"))!;
        string[] services = ["catalog", "orders", "catalog-db", "cache", "migrations", "mailpit", "metrics"];

        foreach (var (name, identifier) in services.Select(s => (s, Identifiers.ToPascalCase(s))))
        {
            Assert.Equal(name, stackType.GetNestedType("ServiceNames")!.GetField(identifier)!.GetValue(null));
            var service = (ServiceDefinition)stackType.GetProperty(identifier)!.GetValue(prod)!;
            Assert.Equal(name, service.Name);
        }

        Assert.Equal("payment_api_key", stackType.GetNestedType("SecretNames")!.GetField("PaymentApiKey")!.GetValue(null));
        Assert.Equal(4, ((ServiceDefinition)stackType.GetProperty("Catalog")!.GetValue(prod)!).Replicas);
    }

    [Theory]
    [InlineData("dev", "json")]
    [InlineData("test", "toml")]
    [InlineData("prod", "json")]
    [InlineData("prod", "toml")]
    public async Task ConfigCommandPrintsEachEnvironmentWithoutSecretValues(string environment, string format)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await StackCommandLine.RunAsync(reference.Descriptor, ["config", "-e", environment, "--format", format], output, error);

        Assert.True(exitCode == 0, error.ToString());
        var text = output.ToString();
        if (format == "json")
        {
            using var document = JsonDocument.Parse(text);
            Assert.Equal(environment, document.RootElement.GetProperty("environment").GetString());
            Assert.Equal(7, document.RootElement.GetProperty("services").GetArrayLength());
        }
        else
        {
            Assert.Contains($"environment = \"{environment}\"", text, StringComparison.Ordinal);
        }

        var secretValue = File.ReadAllText(Path.Combine(reference.RootDirectory, "examples/hello/secrets/db_password.txt")).Trim();
        Assert.DoesNotContain(secretValue, text, StringComparison.Ordinal);
    }

    /// <summary>Compares items in order (an <see cref="ImmutableArray{T}"/> alone would compare by reference).</summary>
    private static void AssertSequence<T>(IEnumerable<T> expected, IEnumerable<T> actual) => Assert.Equal(expected, actual);

    /// <summary>The keys written in each kind of table, wherever it appears: in the base or in an environment.</summary>
    private static Dictionary<string, HashSet<string>> KeysByTable(TomlTableNode root)
    {
        var used = new Dictionary<string, HashSet<string>>();
        Add("root", root);
        Add("stack", root.Find("stack")?.Value as TomlTableNode);
        foreach (var layer in Layers(root))
        {
            Add("gateway", layer.Find("gateway")?.Value as TomlTableNode);
            foreach (var secret in Children(layer, "secrets"))
            {
                Add("secret", secret);
            }
        }

        foreach (var environment in Children(root, "environments"))
        {
            Add("environment", environment);
        }

        foreach (var service in Services(root))
        {
            Add("service", service);
            Add("health", service.Find("health")?.Value as TomlTableNode);
            Add("limits", service.Find("limits")?.Value as TomlTableNode);
            if (service.Find("volumes")?.Value is TomlArrayNode volumes)
            {
                foreach (var volume in volumes.Items.OfType<TomlTableNode>())
                {
                    Add("volume", volume);
                }
            }
        }

        return used;

        void Add(string kind, TomlTableNode? table)
        {
            if (table is not null)
            {
                if (!used.TryGetValue(kind, out var keys))
                {
                    used[kind] = keys = [];
                }

                keys.UnionWith(table.Entries.Select(e => e.Key));
            }
        }
    }

    /// <summary>Every service table, in the base and in every environment's overlay.</summary>
    private static IEnumerable<TomlTableNode> Services(TomlTableNode root) => Layers(root).SelectMany(layer => Children(layer, "services"));

    /// <summary>The base and each environment's overlay.</summary>
    private static IEnumerable<TomlTableNode> Layers(TomlTableNode root) => Children(root, "environments").Prepend(root);

    private static IEnumerable<TomlTableNode> Children(TomlTableNode table, string key) =>
        table.Find(key)?.Value is TomlTableNode children ? children.Entries.Select(e => e.Value).OfType<TomlTableNode>() : [];
}
