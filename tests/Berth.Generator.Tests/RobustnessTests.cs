using System.Text;
using Berth.Generator.Emit;
using Berth.Generator.Model;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Generator.Tests;

/// <summary>
/// stack.toml is edited live in an IDE, so the generator sees every half-typed state of it, and worse. Whatever it
/// gets, it must not throw, must say something (source or an error), must point inside the text, and the source it
/// emits must compile. Inputs come from seeded <see cref="Random"/>s, so a failure names an input that reproduces.
/// </summary>
public class RobustnessTests(ITestOutputHelper output)
{
    private const string StackPath = GeneratorHarness.DefaultPath;


    /// <summary>Every service and secret feature, three environments, inline and dotted tables.</summary>
    private const string ShopStack = """
        # The shop: a storefront, its API, a catalog and their data stores.
        [stack]
        name = "shop"
        environment = "dev"

        [gateway]
        port = 8080
        bind = "127.0.0.1"

        [services.storefront]
        project = "../Storefront/Storefront.csproj"
        port = 5000
        routes = ["/", "/assets/"]
        replicas = 2
        depends_on = { catalog = "healthy", orders = "started" }
        env = { ASPNETCORE_URLS = "http://+:5000", CATALOG_URL = "${CATALOG_URL:-http://catalog:5001}", PRICE = "$$5" }
        config = { "Storefront:Title" = "Shop", Storefront = { PageSize = 20, Features = ["search", "cart"] } }
        health = { http = "/health", interval = "10s", timeout = "2s", retries = 3, start_period = "1m30s" }
        restart = "on-failure"
        stop_grace_period = "15s"
        secrets = ["api_key"]

        [services.catalog]
        project = "../Catalog/Catalog.csproj"
        port = 5001
        protocol = "http"
        routes = ["/api/catalog"]
        limits = { memory = "256MiB", cpus = 0.5, pids = 100 }
        depends_on = ["catalog-db", "orders"]
        read_only = true
        user = "1000:1000"

        [services.orders]
        project = "../Orders/Orders.csproj"
        routes = ["/api/orders"]
        secrets = ["api_key", "db_password"]
        depends_on = { catalog-db = "service_healthy", cache = "started" }
        command = ["dotnet", "Orders.dll"]
        args = "--verbose --port 5002"

        [services.cache]
        image = "docker.io/library/redis:7"
        protocol = "tcp"
        port = 6379

        [services.catalog-db]
        image = "docker.io/library/postgres:16"
        protocol = "tcp"
        port = 5432
        ports = ["5432:5432", 15432]
        volumes = ["catalog-data:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro", { type = "tmpfs", target = "/tmp", size = "64MiB" }]
        health = { command = ["pg_isready", "-U", "postgres"], interval = "5s" }
        cap_add = ["CAP_NET_BIND_SERVICE", "chown"]
        network = "isolated"
        user = 999
        secrets = ["db_password"]

        [secrets.api_key]
        file = "secrets/api_key.txt"

        [secrets.db_password]
        env = "SHOP_DB_PASSWORD"

        [environments.dev]

        [environments.staging]
        dotnet_environment = "Staging"

        [environments.staging.services.storefront]
        replicas = 1

        [environments.prod]
        gateway = { port = 80, bind = "0.0.0.0" }

        [environments.prod.services.storefront]
        replicas = 4
        limits = { memory = "1GiB", cpus = 2 }
        health = { http = "/ready" }

        [environments.prod.services.catalog-db]
        image = "registry.example.com/postgres:16"
        ports = ["15432:5432", "15433:5433"]

        [environments.prod.secrets.db_password]
        user_secret = "Shop:DbPassword"
        """;

    /// <summary>Images only: table arrays, dotted keys, tcp health, host network, integer ports and sizes.</summary>
    private const string EdgeStack = """
        [stack]
        name = "edge"

        [gateway]
        port = 9000

        [services.proxy]
        image = "docker.io/library/nginx:1.27"
        command = "nginx -g 'daemon off;'"
        port = 80
        routes = ["/"]
        network = "host"
        health = { tcp = true, interval = "30s" }
        restart = "always"

        [[services.proxy.volumes]]
        type = "bind"
        source = "./nginx.conf"
        target = "/etc/nginx/nginx.conf"
        read_only = true

        [[services.proxy.volumes]]
        type = "volume"
        source = "cache"
        target = "/var/cache/nginx"

        [services.cache]
        image = "docker.io/library/redis:7"
        protocol = "tcp"
        port = 6379
        ports = [6379, "16379:6379"]
        limits = { memory = 536870912, pids = 64 }
        stop_grace_period = "500ms"
        env.REDIS_ARGS = "--save ''"
        config.Redis.MaxMemory = "256mb"

        [services.worker]
        project = "Worker/Worker.csproj"
        replicas = 0
        depends_on = { cache = "started", proxy = "healthy" }
        secrets = ["token", "signing_key"]

        [secrets.token]
        user_secret = "Edge:Token"

        [secrets.signing_key]
        file = "/etc/edge/signing.key"

        [environments.local]
        dotnet_environment = "Development"

        [environments.ci.services.worker]
        replicas = 3
        env = { CI = true, RETRIES = 5, RATIO = 0.25 }
        """;

    /// <summary>The hello example: the smallest real stack.</summary>
    private const string HelloStack = """
        # The smallest stack: one service behind the gateway.
        [stack]
        name = "hello"

        [services.greeter]
        project = "../Greeter/Greeter.csproj"
        port = 8080
        routes = ["/"]
        health = { http = "/health" }
        config = { "Greeter:Greeting" = "Hello" }

        [environments.dev]

        [environments.prod.services.greeter]
        replicas = 2
        config = { "Greeter:Greeting" = "Good day" }
        limits = { memory = "128MiB", cpus = 0.5 }
        """;

    private static readonly string[] s_seeds = [ShopStack, EdgeStack, HelloStack];

    /// <summary>Some of the files the seeds refer to, so both "found" and "not found" come up.</summary>
    private static readonly HashSet<string> s_existingFiles = new(StringComparer.Ordinal)
    {
        "/stacks/Storefront/Storefront.csproj",
        "/stacks/Catalog/Catalog.csproj",
        "/stacks/Orders/Orders.csproj",
        "/stacks/shop/secrets/api_key.txt",
        "/stacks/Greeter/Greeter.csproj",
        "/stacks/shop/Worker/Worker.csproj",
        "/etc/edge/signing.key",
    };

    private static readonly string[] s_keys =
    [
        "stack", "name", "environment", "gateway", "port", "bind", "services", "secrets", "environments", "project",
        "image", "command", "args", "protocol", "replicas", "user", "read_only", "env", "config", "depends_on",
        "health", "restart", "limits", "volumes", "routes", "ports", "stop_grace_period", "cap_add", "network", "http",
        "tcp", "interval", "timeout", "retries", "start_period", "memory", "cpus", "pids", "type", "source", "target",
        "size", "file", "user_secret", "dotnet_environment", "api", "db", "prod", "dev", "replica", "\"quoted key\"",
        "\"\"", "a.b", "1abc", "order-db", "order_db", "definition", "create-dev", "secret-names", "-", "_",
    ];

    private static readonly string[] s_values =
    [
        "\"\"", "\" \"", "0", "-1", "1", "2", "80", "8080", "65535", "65536", "1000", "1001", "3.5", "0.0", "nan", "inf",
        "-inf", "true", "false", "1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", "[]", "[1, \"a\"]", "[\"/\", \"/api\"]",
        "[\"/api/\", \"/API\"]", "[\"//\"]", "[\"a\", \"b\"]", "[\"db\"]", "[\"api\", \"db\", \"api\"]", "{}", "{ a = 1 }",
        "{ http = \"/health\" }", "{ tcp = true }", "{ command = \"/bin/check --fast\" }", "{ db = \"healthy\" }",
        "{ memory = \"1GiB\", cpus = 0.25 }", "\"healthy\"", "\"tcp\"", "\"http\"", "\"host\"", "\"isolated\"", "\"always\"",
        "\"on-failure\"", "\"10s\"", "\"1m30s\"", "\"500us\"", "\"256MiB\"", "\"64k\"", "\"0.0.0.0\"", "\"::1\"",
        "\"${X\"", "\"${X:-y}\"", "\"${}\"", "\"$$\"", "\"../Api/Api.csproj\"", "\"nginx\"", "\"80:80\"", "[\"8080:80\"]",
        "[\"5432:5432\"]", "[5432, 5432]", "[\"./data:/data:ro\"]", "[{ type = \"tmpfs\", target = \"/t\", size = \"1k\" }]",
        "[\"NET_ADMIN\", \"cap_chown\"]", "\"secrets/api_key.txt\"", "\"api_key\"", "[\"api_key\"]", "\"😀\"",
        "\"\\u0000\"", "\"a\\nb\"", "'''multi\nline'''", "\"\"\"a\nb\"\"\"", "'C:\\path'", "0x1F", "0o17", "0b101", "1_000",
        "+5", "9223372036854775807", "-9223372036854775808", "1e400", "\"Staging\"", "\"pre prod\"",
    ];

    private static readonly string[] s_tokens =
    [
        "[", "]", "]]", "[[", "=", "\"", "'", "{", "}", ",", ".", "\0", "\n", "\r\n", "\r", "\t", " ", "#", "\"\"\"", "'''",
        "\\", "${", "$", "\uFEFF", "\u2028", "\u0085", "\uD800", "\uDC00", "😀", "é", "e\u0301", "\u202E", "ﷺ", "Ω",
        " = ", "\n[services.x]\nimage = \"a\"\n", "\n[environments.prod.services.api]\n", "\n[[services]]\n",
        "\n[secrets.k]\n", "\n[services.api.health]\n", "true", "-", "+", "_", "0", "1e", "nan",
    ];

    /// <summary>The section headers <see cref="AssembledStack"/> draws from.</summary>
    private static readonly string[] s_sections =
    [
        "stack", "gateway", "services.api", "services.db", "services.web", "services.api.health", "services.api.limits",
        "services.api.env", "services.api.config", "services.api.depends_on", "services.db.config.Nested.Deeper",
        "secrets.api_key", "secrets.token", "environments.dev", "environments.prod", "environments.prod.gateway",
        "environments.prod.services.api", "environments.prod.services.db", "environments.prod.secrets.api_key",
        "environments.staging.services.web.limits", "environments.prod.services.ghost", "[services.api.volumes]",
        "services", "secrets", "environments",
    ];

    [Fact]
    public void SeedsAreValidStacksThatCompile()
    {
        // The other tests only mean something if their starting points are good stacks.
        var checker = new Checker();
        foreach (var seed in s_seeds)
        {
            var result = StackParser.Parse(StackPath, seed, s_existingFiles);
            Assert.NotNull(result.Model);
            Assert.DoesNotContain(result.Diagnostics, d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            checker.AssertCompiles(result.Model, "seed", seed);
        }
    }

    [Fact]
    public void TruncatedStacks()
    {
        // Few prefixes of a stack are whole stacks (a service refers to one declared further down), so compile more.
        var checker = new Checker(compileEvery: 5);
        for (var s = 0; s < s_seeds.Length; s++)
        {
            var seed = s_seeds[s];
            for (var length = 0; length <= seed.Length; length += 3)
            {
                checker.Check(seed.Substring(0, length), $"seed {s} truncated to {length}");
            }
        }

        output.WriteLine(checker.Summary);
        checker.AssertCoverage(minimumModels: 20, minimumCompiled: 3);
    }

    [Fact]
    public void MutatedStacks()
    {
        var checker = new Checker();
        var random = new Random(1117);
        for (var i = 0; i < 3000; i++)
        {
            var text = s_seeds[i % s_seeds.Length];
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                text = Mutate(text, random);
            }

            checker.Check(text, $"mutant {i} of seed 1117");
        }

        output.WriteLine(checker.Summary);
        checker.AssertCoverage(minimumModels: 300, minimumCompiled: 12);
    }

    [Fact]
    public void AssembledStacks()
    {
        // Random sections, keys and values in valid TOML shape: these reach the binder and the cross-checks.
        var checker = new Checker();
        var random = new Random(2029);
        for (var i = 0; i < 2000; i++)
        {
            checker.Check(AssembledStack(random), $"assembled stack {i} of seed 2029");
        }

        output.WriteLine(checker.Summary);
        checker.AssertCoverage(minimumModels: 20, minimumCompiled: 1);
    }

    [Fact]
    public void RandomText()
    {
        var checker = new Checker();
        var random = new Random(4099);
        for (var i = 0; i < 1000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 400);
            while (text.Length < length)
            {
                text.Append(random.Next(7) switch
                {
                    0 => ((char)random.Next(32, 127)).ToString(),
                    1 => Pick(random, s_tokens),
                    2 => Pick(random, s_keys),
                    3 => Pick(random, s_values),
                    4 => ((char)random.Next(0, 0x10000)).ToString(),
                    5 => " = ",
                    _ => "\n",
                });
            }

            checker.Check(text.ToString(), $"random text {i} of seed 4099");
        }

        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            var text = i % 2 == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
            checker.Check(text, $"random bytes {i} of seed 4099");
        }

        output.WriteLine(checker.Summary);
    }

    [Fact]
    public void PathologicalStacks()
    {
        const string head = "[stack]\nname = \"shop\"\n\n[services.api]\nimage = \"nginx\"\n";
        var huge = new string('x', 1 << 20);
        // Each with the diagnostic it must give, or null when it is a valid stack.
        var inputs = new List<(string Name, string Text, string? Expected)>
        {
            ("empty", string.Empty, "BERTH0020"),
            ("whitespace", " \t\n\r\n  \n", "BERTH0020"),
            ("NUL", "\0", "BERTH0001"),
            ("nested arrays", head + "config = { X = " + new string('[', 10_000) + new string(']', 10_000) + " }\n", "BERTH0001"),
            ("unclosed arrays", head + "args = " + new string('[', 10_000), "BERTH0001"),
            ("nested inline tables", head + "config = " + string.Concat(Enumerable.Repeat("{ a = ", 10_000)) + "1" + new string('}', 10_000) + "\n", "BERTH0001"),
            ("long dotted key", head + "config." + string.Join('.', Enumerable.Repeat("k", 50_000)) + " = 1\n", "BERTH0001"),
            ("long table header", head + "[services.api.config." + string.Join('.', Enumerable.Repeat("k", 50_000)) + "]\nx = 1\n", "BERTH0001"),
            ("long dotted overlay", head + "[environments.prod.services.api.config." + string.Join('.', Enumerable.Repeat("k", 50_000)) + "]\nx = 1\n", "BERTH0001"),
            ("huge value", head + $"command = \"{huge}\"\n", null),
            ("huge unknown key", head + $"{huge} = 1\n", "BERTH0002"),
            ("huge unknown service", head + $"depends_on = [\"{huge}\"]\n", "BERTH0010"),
            ("huge comment", head + "#" + huge + "\n", null),
            ("huge name", $"[stack]\nname = \"{huge}\"\n[services.{huge}]\nimage = \"x\"\n", "BERTH0018"),
            ("long dependency chain", Chain(3000, closeTheCycle: true), "BERTH0012"),
            ("long dependency chain without a cycle", Chain(3000, closeTheCycle: false), null),
            ("many unknown dependencies", head + "depends_on = [" + string.Join(", ", Enumerable.Range(0, 3000).Select(i => $"\"svc{i}\"")) + "]\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"[services.svc-{i}]\nimage = \"x\"\n")), "BERTH0010"),
            ("many env vars", head + "[services.api.env]\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"VAR_{i} = \"{i}\"\n")), null),
            ("many environments", head + string.Concat(Enumerable.Range(0, 300).Select(i => $"[environments.env{i}.services.api]\nreplicas = {i * 4}\n")), "BERTH0004"),
            ("many host port clashes", head + "ports = [" + string.Join(", ", Enumerable.Repeat("\"9000:9000\"", 5000)) + "]\n", "BERTH0013"),
            ("many lines", head + string.Concat(Enumerable.Repeat("# comment\n\n", 100_000)), null),
        };

        // A small stack proves the work is not recursive in the input's size: a compiler thread's stack is small too.
        var failure = (Exception?)null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var checker = new Checker(compileEvery: 1);
                    foreach (var (name, text, expected) in inputs)
                    {
                        var result = checker.Check(text, name, compile: text.Length < 100_000);
                        Checker.Expect(
                            expected is null ? result.Model is not null : result.Diagnostics.Any(d => d.Id == expected),
                            name,
                            text,
                            $"expected {expected ?? "source"}, got {string.Join(" | ", result.Diagnostics.Select(d => $"{d.Id} at {d.Location.Line},{d.Location.Column}: {d.Message}"))}");
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();

        Assert.Null(failure);
    }

    [Fact]
    public void ThroughTheCompilerDriver()
    {
        // The driver adds what direct parsing skips: reading the additional files, the pipeline and the emitter.
        var random = new Random(7919);
        var sourcesSeen = 0;
        var compiled = 0;
        for (var i = 0; i < 300; i++)
        {
            var text = i % 3 == 0 ? AssembledStack(random) : Mutate(s_seeds[i % s_seeds.Length], random);
            var label = $"driver input {i} of seed 7919";
            var outcome = GeneratorHarness.Run(text, existingFiles: i % 2 == 0 ? s_existingFiles : null);
            Checker.Expect(outcome.Exception is null, label, text, $"the generator threw: {outcome.Exception}");
            Checker.Expect(!outcome.Diagnostics.Any(d => d.Id == "BERTH0999"), label, text, "an internal error was reported");
            var errors = outcome.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Checker.Expect(outcome.Sources.Length == 1 || errors.Count > 0, label, text, "neither source nor an error");
            Checker.Expect(outcome.Sources.Length == 0 || errors.Count == 0, label, text, "source despite errors");
            if (outcome.Sources.Length == 1 && sourcesSeen++ % 10 == 0)
            {
                var problems = outcome.CompilationProblems
                    .Where(d => d.Severity == DiagnosticSeverity.Error)
                    .ToList();
                Checker.Expect(problems.Count == 0, label, text, $"the generated source does not compile: {string.Join(" | ", problems)}");
                compiled++;
            }
        }

        output.WriteLine($"300 inputs, {sourcesSeen} gave source, {compiled} compiled");
        Assert.True(compiled >= 3, $"only {compiled} driver outputs were compiled");
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var line = random.Next(lines.Count);
        var offset = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(12))
        {
            case 0:
                lines.RemoveAt(line);
                break;
            case 1:
                lines.Insert(line, lines[random.Next(lines.Count)]);
                break;
            case 2:
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case 3:
                return text.Length == 0 ? text : text.Remove(offset, 1).Insert(offset, ((char)random.Next(0, 0x3000)).ToString());
            case 4:
                return text.Insert(offset, Pick(random, s_tokens));
            case 5:
            case 6:
                // Most interesting mistakes are a wrong value for a right key.
                var equals = lines[line].IndexOf(" = ", StringComparison.Ordinal);
                lines[line] = equals < 0 ? lines[line] : lines[line].Substring(0, equals + 3) + Pick(random, s_values);
                break;
            case 7:
                var at = lines[line].IndexOf(" = ", StringComparison.Ordinal);
                lines[line] = at < 0 ? lines[line] : Pick(random, s_keys) + lines[line].Substring(at);
                break;
            case 8:
                return text.Substring(0, offset);
            case 9:
                return text.Remove(offset, random.Next(0, Math.Min(80, text.Length - offset)));
            case 10:
                var donor = Pick(random, s_seeds).Split('\n');
                lines.Insert(line, donor[random.Next(donor.Length)]);
                break;
            default:
                var header = lines.FindIndex(line, l => l.StartsWith('['));
                if (header >= 0)
                {
                    lines[header] = $"[{Pick(random, s_sections)}]";
                }

                break;
        }

        return string.Join('\n', lines);
    }

    /// <summary>A stack.toml of random sections holding random keys and values, mostly well-formed TOML.</summary>
    private static string AssembledStack(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(10) > 0)
        {
            text.Append("[stack]\nname = ").Append(random.Next(4) > 0 ? "\"shop\"" : Pick(random, s_values)).Append('\n');
        }

        if (random.Next(3) > 0)
        {
            // Give the other sections something real to refer to.
            text.Append("[services.api]\nimage = \"nginx\"\n[services.db]\nproject = \"../Db/Db.csproj\"\n[secrets.api_key]\nenv = \"KEY\"\n");
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var s = random.Next(0, 6); s > 0; s--)
        {
            var section = Pick(random, s_sections);
            if (!used.Add(section) && !section.StartsWith('['))
            {
                continue;
            }

            text.Append(section.StartsWith('[') ? $"[{section}]\n" : $"\n[{section}]\n");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var k = random.Next(0, 6); k > 0; k--)
            {
                var key = Pick(random, s_keys);
                if (keys.Add(key))
                {
                    text.Append(key).Append(" = ").Append(Pick(random, s_values)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Services s0 → s1 → … → s(n-1), the last depending on s0 when <paramref name="closeTheCycle"/>.</summary>
    private static string Chain(int length, bool closeTheCycle)
    {
        var text = new StringBuilder("[stack]\nname = \"chain\"\n");
        for (var i = 0; i < length; i++)
        {
            text.Append($"[services.s{i}]\nimage = \"x\"\n");
            if (i < length - 1 || closeTheCycle)
            {
                text.Append($"depends_on = [\"s{(i + 1) % length}\"]\n");
            }
        }

        return text.ToString();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Runs the parser on one input and checks everything that must hold for any input.</summary>
    /// <param name="compileEvery">Compiling is the slow part; one in this many stacks that give source is compiled.</param>
    private sealed class Checker(int compileEvery = 25)
    {
        private readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest);
        private int _inputs;
        private int _models;
        private int _compiled;

        public ParseResult Check(string text, string label, bool compile = true)
        {
            // Half the inputs get the build's list of existing files, which turns on the existence checks.
            var existing = _inputs++ % 2 == 0 ? s_existingFiles : null;
            var result = StackParser.Parse(StackPath, text, existing);
            Expect(!result.Diagnostics.Any(d => d.Id == "BERTH0999"), label, text, $"an internal error was reported: {Messages(result)}");
            var hasErrors = result.Diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            Expect(result.Model is not null || hasErrors, label, text, "neither a model nor an error");
            Expect(result.Model is null || !hasErrors, label, text, "a model despite errors");
            foreach (var diagnostic in result.Diagnostics)
            {
                // Formatting throws if a message was given too few arguments.
                Expect(diagnostic.Message.Length > 0, label, text, $"an empty message for {diagnostic.Id}");
                try
                {
                    LocationAssert.Consistent(text, diagnostic.Location.Span, diagnostic.Location.LineSpan);
                }
                catch (XunitException e)
                {
                    Expect(false, label, text, $"{diagnostic.Id} at {diagnostic.Location.Span} is misplaced: {e.Message}");
                }
            }

            if (_inputs % 10 == 0)
            {
                // The incremental pipeline caches on equality: the same input must give an equal result.
                Expect(result.Equals(StackParser.Parse(StackPath, text, existing)), label, text, "a second parse gave a different result");
            }

            if (result.Model is { } model && _models++ % compileEvery == 0 && compile)
            {
                AssertCompiles(model, label, text);
            }

            return result;
        }

        public void AssertCompiles(StackModel model, string label, string text)
        {
            var source = StackEmitter.Emit(model, new EmitOptions("Shop", EmitMain: true));
            var compilation = GeneratorHarness.CreateCompilation()
                .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, _parseOptions, path: StackEmitter.HintName(model)));
            var errors = compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToList();
            Expect(errors.Count == 0, label, text, $"the generated source does not compile: {string.Join(" | ", errors)}");
            _compiled++;
        }

        public string Summary => $"{_inputs} inputs, {_models} gave source, {_compiled} compiled";

        public void AssertCoverage(int minimumModels, int minimumCompiled)
        {
            // Guards against inputs that all fail early and so test little.
            Assert.True(_models >= minimumModels, $"only {_models} inputs produced a model");
            Assert.True(_compiled >= minimumCompiled, $"only {_compiled} generated sources were compiled");
        }

        public static void Expect(bool condition, string label, string text, string problem)
        {
            if (!condition)
            {
                var shown = text.Length > 2000 ? text.Substring(0, 2000) + $"… ({text.Length} characters)" : text;
                throw new XunitException($"{label}: {problem}\n--- stack.toml ---\n{shown}\n---");
            }
        }

        private static string Messages(ParseResult result) => string.Join(" | ", result.Diagnostics.Select(d => $"{d.Id} {d.Message}"));
    }
}
