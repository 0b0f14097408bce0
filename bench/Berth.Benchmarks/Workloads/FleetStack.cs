using System.Globalization;
using System.Text;

namespace Berth.Benchmarks.Workloads;

/// <summary>
/// A generated stack.toml of realistic shape: many services, each with a source, port, routes, health check,
/// dependencies on earlier services, env, config, limits and volumes; a few secrets; and dev/test/prod environments
/// whose overlays touch a fraction of the services.
/// </summary>
internal static class FleetStack
{
    public const string Path = "/src/fleet/Fleet.AppHost/stack.toml";

    public const string RootNamespace = "Fleet.AppHost";

    public const int SecretCount = 8;

    private static readonly string[] s_domains =
    [
        "catalog", "basket", "orders", "payments", "shipping", "inventory", "pricing", "search", "reviews", "accounts",
        "identity", "notifications", "billing", "invoices", "returns", "loyalty", "recommendations", "media", "audit",
        "reporting",
    ];

    /// <summary>The name of service <paramref name="index"/>, such as <c>orders-023</c>.</summary>
    public static string ServiceName(int index) =>
        $"{s_domains[index % s_domains.Length]}-{index.ToString("D3", CultureInfo.InvariantCulture)}";

    private static string ProjectName(int index) =>
        $"Fleet.{char.ToUpperInvariant(s_domains[index % s_domains.Length][0])}{s_domains[index % s_domains.Length][1..]}{index.ToString("D3", CultureInfo.InvariantCulture)}";

    /// <summary>Every eighth service runs an image; the others are projects of the solution.</summary>
    private static bool IsImage(int index) => index % 8 == 7;

    /// <summary>The stack.toml text for <paramref name="serviceCount"/> services.</summary>
    public static string Create(int serviceCount)
    {
        var b = new StringBuilder();
        b.AppendLine("# The fleet: a generated stack for the generator benchmarks.");
        b.AppendLine("[stack]");
        b.AppendLine("name = \"fleet\"");
        b.AppendLine("environment = \"dev\"");
        b.AppendLine();
        b.AppendLine("[gateway]");
        b.AppendLine("port = 8080");
        b.AppendLine();

        for (var i = 0; i < serviceCount; i++)
        {
            AppendService(b, i);
        }

        for (var s = 0; s < SecretCount; s++)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[secrets.secret_{s}]");
            b.AppendLine(CultureInfo.InvariantCulture, $"file = \"secrets/secret_{s}.txt\"");
            b.AppendLine();
        }

        AppendEnvironments(b, serviceCount);
        return b.ToString();
    }

    /// <summary>The files the build would list as existing: every project and secret file stack.toml names.</summary>
    public static IEnumerable<string> ExistingFiles(int serviceCount)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        for (var i = 0; i < serviceCount; i++)
        {
            if (!IsImage(i))
            {
                yield return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, $"../{ProjectName(i)}/{ProjectName(i)}.csproj"));
            }
        }

        for (var s = 0; s < SecretCount; s++)
        {
            yield return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, $"secrets/secret_{s}.txt"));
        }
    }

    private static void AppendService(StringBuilder b, int i)
    {
        var name = ServiceName(i);
        var domain = s_domains[i % s_domains.Length];
        b.AppendLine(CultureInfo.InvariantCulture, $"[services.{name}]");
        if (IsImage(i))
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"image = \"registry.internal/fleet/{name}:1.{i % 10}.{i % 7}\"");
            b.AppendLine("user = \"1000:1000\"");
            b.AppendLine("read_only = true");
        }
        else
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"project = \"../{ProjectName(i)}/{ProjectName(i)}.csproj\"");
        }

        b.AppendLine("port = 8080");
        b.AppendLine(CultureInfo.InvariantCulture, $"routes = [\"/api/{name}\", \"/hooks/{name}\"]");
        b.AppendLine(CultureInfo.InvariantCulture, $"health = {{ http = \"/health\", interval = \"{2 + (i % 4)}s\", timeout = \"1s\", retries = 3, start_period = \"10s\" }}");

        // Dependencies point at earlier services only, so the graph has no cycles.
        if (i > 0)
        {
            var first = ServiceName((i - 1) / 2);
            b.Append(CultureInfo.InvariantCulture, $"depends_on = {{ {first} = \"healthy\"");
            if (i > 2 && i % 3 == 0)
            {
                b.Append(CultureInfo.InvariantCulture, $", {ServiceName(i - 3)} = \"started\"");
            }

            b.AppendLine(" }");
        }

        b.AppendLine(CultureInfo.InvariantCulture, $"env = {{ LOG_LEVEL = \"${{FLEET_LOG_LEVEL:-Information}}\", ConnectionStrings__{ToPascal(domain)} = \"Host=db;Database={domain}_{i}\", SERVICE_INDEX = \"{i}\" }}");
        b.AppendLine(CultureInfo.InvariantCulture, $"config.{ToPascal(domain)}.PageSize = {10 + (i % 5) * 10}");
        b.AppendLine(CultureInfo.InvariantCulture, $"config.{ToPascal(domain)}.Regions = [\"eu-west\", \"us-east\"]");
        b.AppendLine(CultureInfo.InvariantCulture, $"config.{ToPascal(domain)}.Features.Caching = {(i % 2 == 0 ? "true" : "false")}");
        b.AppendLine(CultureInfo.InvariantCulture, $"limits = {{ memory = \"{128 << (i % 3)}MiB\", cpus = 0.5, pids = 200 }}");
        b.AppendLine(CultureInfo.InvariantCulture, $"volumes = [\"{name}-data:/data\", {{ type = \"tmpfs\", target = \"/tmp/cache\", size = \"16MiB\" }}]");
        if (i % 25 == 0)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"secrets = [\"secret_{(i / 25) % SecretCount}\"]");
        }

        b.AppendLine(i % 5 == 0 ? "restart = \"always\"" : "restart = \"on-failure\"");
        b.AppendLine("stop_grace_period = \"5s\"");
        b.AppendLine();
    }

    private static void AppendEnvironments(StringBuilder b, int serviceCount)
    {
        // dev: debug logging for every tenth service, written as dotted keys.
        b.AppendLine("[environments.dev]");
        for (var i = 0; i < serviceCount; i += 10)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"services.{ServiceName(i)}.config.Logging.LogLevel.Default = \"Debug\"");
        }

        b.AppendLine();

        // test: another gateway port, and a changed env for every seventh service.
        b.AppendLine("[environments.test]");
        b.AppendLine("gateway.port = 18080");
        for (var i = 3; i < serviceCount; i += 7)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"services.{ServiceName(i)}.env = {{ LOG_LEVEL = \"Debug\", SERVICE_INDEX = \"{i}\" }}");
        }

        b.AppendLine();

        // prod: .NET Production, secrets from the environment, more replicas and memory for every fifth service.
        b.AppendLine("[environments.prod]");
        b.AppendLine("dotnet_environment = \"Production\"");
        b.AppendLine();
        for (var i = 0; i < serviceCount; i += 5)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[environments.prod.services.{ServiceName(i)}]");
            b.AppendLine("replicas = 3");
            b.AppendLine("limits = { memory = \"512MiB\", cpus = 1.5, pids = 400 }");
            b.AppendLine();
        }

        for (var s = 0; s < SecretCount; s++)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[environments.prod.secrets.secret_{s}]");
            b.AppendLine(CultureInfo.InvariantCulture, $"env = \"FLEET_SECRET_{s}\"");
            b.AppendLine();
        }
    }

    private static string ToPascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
