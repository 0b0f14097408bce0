using System.Collections.Immutable;
using System.Globalization;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>
/// Every BERTHnnnn diagnostic: reported where the mistake is written in stack.toml, with a message that says what
/// to do. Lines and columns are one-based, as editors and build output show them.
/// </summary>
public class DiagnosticTests
{
    /// <summary>Lines 1-3 of most stacks here; what follows starts on line 4.</summary>
    private const string Header = "[stack]\nname = \"shop\"\n\n";

    /// <summary>The line <see cref="ServiceWith"/> puts its argument on.</summary>
    private const int ServiceLine = 9;

    /// <summary>One minimal stack per descriptor; <see cref="CasesCoverEveryDescriptor"/> keeps it complete.</summary>
    private static readonly Dictionary<string, DiagnosticCase> s_cases = new()
    {
        ["BERTH0001"] = new(Header + """
            [services.api
            image = "nginx"
            """, 4, 14, "TOML syntax error: ", "expecting `]`"),
        ["BERTH0002"] = new(Header + """
            [services.api]
            image = "nginx"
            replica = 2
            """, 6, 1, "Unknown key 'replica' in [services.api]; did you mean 'replicas'?"),
        ["BERTH0003"] = new(Header + """
            [services.api]
            image = "nginx"
            replicas = "2"
            """, 6, 12, "'services.api.replicas' must be an integer, not a string; for example: replicas = 2"),
        ["BERTH0004"] = new(Header + """
            [services.api]
            image = "nginx"
            protocol = "udp"
            """, 6, 12, "Invalid value for 'services.api.protocol': 'udp' is not one of \"http\", \"tcp\""),
        ["BERTH0005"] = new(Header + """
            [services.api]
            image = "nginx"
            limits = { memory = "12 parsecs" }
            """, 6, 21, "Invalid size '12 parsecs' for 'services.api.limits.memory'", "\"256MiB\""),
        ["BERTH0006"] = new(Header + """
            [services.api]
            image = "nginx"
            stop_grace_period = "10 seconds"
            """, 6, 21, "Invalid duration '10 seconds' for 'services.api.stop_grace_period'", "\"1m30s\""),
        ["BERTH0007"] = new(Header + """
            [services.api]
            image = "nginx"
            limits = { cpus = 0 }
            """, 6, 19, "Invalid CPU limit '0' for 'services.api.limits.cpus'", "greater than 0"),
        ["BERTH0008"] = new(Header + """
            [services.api]
            port = 8080
            """, 4, 11, "Service 'api' needs either 'project' (path to a .csproj) or 'image'"),
        ["BERTH0009"] = new(Header + """
            [services.api]
            project = "../Api/Api.csproj"
            image = "nginx"
            """, 6, 9, "Service 'api' sets both 'project' and 'image'; keep exactly one"),
        ["BERTH0010"] = new(Header + """
            [services.api]
            image = "nginx"
            depends_on = ["dbb"]

            [services.db]
            image = "postgres"
            """, 6, 15, "Unknown service 'dbb' in services.api.depends_on; did you mean 'db'?"),
        ["BERTH0011"] = new(Header + """
            [services.api]
            image = "nginx"
            secrets = ["api-key"]

            [secrets.api_key]
            env = "API_KEY"
            """, 6, 12, "Unknown secret 'api-key' in services.api.secrets: declare it as [secrets.api-key]; did you mean 'api_key'?"),
        ["BERTH0012"] = new(Header + """
            [services.a]
            image = "nginx"
            depends_on = ["b"]

            [services.b]
            image = "nginx"
            depends_on = ["a"]
            """, 10, 15, "Services depend on each other in a cycle: a → b → a; remove one of these depends_on entries"),
        ["BERTH0013"] = new(Header + """
            [gateway]
            port = 8080

            [services.db]
            image = "postgres"
            ports = ["8080:5432"]
            """, 9, 10, "Host port 8080 is already used by the gateway; pick another port"),
        ["BERTH0014"] = new(Header + """
            [services.a]
            image = "nginx"
            routes = ["/api"]

            [services.b]
            image = "nginx"
            routes = ["/api"]
            """, 10, 11, "Gateway route '/api' is already served by service 'a'"),
        ["BERTH0015"] = new(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            """, 7, 10, "Secret 'api_key' has no source: set one of file = \"path\", env = \"VARIABLE\" or user_secret = \"Key\""),
        ["BERTH0016"] = new(Header + """
            [services.api]
            project = "../Api/Api.csproj"
            """, 5, 11, "Project '../Api/Api.csproj' of service 'api' does not exist (looked for /stacks/Api/Api.csproj)")
        {
            ExistingFiles = [],
        },
        ["BERTH0017"] = new(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            file = "secrets/api_key.txt"
            """, 8, 8, "Secret file 'secrets/api_key.txt' of secret 'api_key' does not exist (looked for /stacks/shop/secrets/api_key.txt)")
        {
            ExistingFiles = [],
        },
        ["BERTH0018"] = new(Header + """
            [services.1api]
            image = "nginx"
            """, 4, 11, "Service name '1api' cannot be used: it must start with a letter"),
        ["BERTH0019"] = new(Header, 1, 2, "The stack declares no services"),
        ["BERTH0020"] = new("""
            [services.api]
            image = "nginx"
            """, 1, 1, "[stack] name is required: add [stack] with name = \"shop\""),
        ["BERTH0021"] = new("""
            [stack]
            name = "shop"
            environment = "stagin"

            [services.api]
            image = "nginx"

            [environments.dev]
            [environments.staging]
            """, 3, 15, "Unknown environment 'stagin': declared environments are dev, staging; did you mean 'staging'?"),
        ["BERTH0022"] = new(Header + """
            [services.api]
            image = "nginx"
            env = { DB_URL = "postgres://${DB_HOST/shop" }
            """, 6, 18, "Invalid interpolation in 'services.api.env.DB_URL': '${' at position 12 is never closed with '}'"),
        ["BERTH0023"] = new(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            file = "secrets/api_key.txt"
            env = "API_KEY"
            """, 9, 1, "Secret 'api_key' sets both 'file' and 'env'"),
        ["BERTH0024"] = new(Header + """
            [services.api]
            image = "nginx"
            """, 1, 1, "This project has more than one stack.toml (/stacks/other/stack.toml, /stacks/shop/stack.toml)")
        {
            SecondStack = ("/stacks/other/stack.toml", """
                [stack]
                name = "other"

                [services.web]
                image = "nginx"
                """),
        },
        ["BERTH0025"] = new(Header + """
            [services.box]
            image = "./rootfs"
            """, 5, 9, "Image directory './rootfs' of service 'box' does not exist (looked for /stacks/shop/rootfs)")
        {
            ExistingFiles = [],
        },
    };

    /// <summary>A stack with services db and api, and <paramref name="lines"/> added to api from line 9.</summary>
    private static string ServiceWith(string lines) => Header + $"""
        [services.db]
        image = "postgres"

        [services.api]
        image = "nginx"
        {lines}

        """;

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in s_cases.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void CasesCoverEveryDescriptor()
    {
        var reportable = DiagnosticDescriptors.All
            .Select(d => d.Id)
            .Where(id => id != DiagnosticDescriptors.InternalError.Id)
            .Order(StringComparer.Ordinal);

        Assert.Equal(reportable, s_cases.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void EachDescriptorIsReportedWhereTheMistakeIs(string id)
    {
        var c = s_cases[id];
        var outcome = c.SecondStack is { } second
            ? RunWithFiles(c.Toml, [second])
            : Run(c.Toml, existingFiles: c.ExistingFiles);

        var diagnostic = AssertReported(outcome, id, c.Line, c.Column, c.MessageParts);
        Assert.Equal(id, diagnostic.Descriptor.Id);

        // The other diagnostics of these stacks would hide what each case shows.
        Assert.All(outcome.Diagnostics, d => Assert.Equal(id, d.Id));
        if (id == DiagnosticDescriptors.MultipleStackFiles.Id)
        {
            return;
        }

        if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            Assert.Empty(outcome.Sources);
        }
        else
        {
            Assert.Single(outcome.Sources);
        }
    }

    [Fact]
    public void MoreThanOneStackFileIsReportedOnEachOfThem()
    {
        const string other = """
            [stack]
            name = "other"

            [services.web]
            image = "nginx"
            """;
        var outcome = RunWithFiles(s_cases["BERTH0024"].Toml, [("/stacks/other/stack.toml", other)], outputKind: OutputKind.DynamicallyLinkedLibrary);

        Assert.Null(outcome.Exception);
        var reported = outcome.Diagnostics.Where(d => d.Id == "BERTH0024").ToList();
        Assert.Equal(
            new[] { "/stacks/other/stack.toml", "/stacks/shop/stack.toml" },
            reported.Select(d => d.Location.GetLineSpan().Path).Order(StringComparer.Ordinal));
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void TwoStackFilesWithTheSameStackNameEmitNothingAndStillReport()
    {
        var shop = s_cases["BERTH0024"].Toml;
        var outcome = RunWithFiles(shop, [("/stacks/copy/stack.toml", shop)]);

        Assert.Null(outcome.Exception);
        Assert.Equal(2, outcome.Diagnostics.Count(d => d.Id == "BERTH0024"));
        Assert.Empty(outcome.Sources);

        // One stand-in entry point, so the build shows BERTH0024 and not also CS5001.
        Assert.Equal(["BerthStackProgram.g.cs"], outcome.AllSources.Select(s => s.HintName));
        Assert.DoesNotContain(outcome.CompilationProblems, d => d.Id == "CS5001");
    }

    [Fact]
    public void TcpFalseIsNotAHealthCheck()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            health = { tcp = false }
            """);

        AssertReported(outcome, "BERTH0004", 6, 18, "tcp = false is not a check");
    }

    [Theory]
    [InlineData("docker://redis:7", "has a URL scheme; a registry reference has none")]
    [InlineData("docker.io/Library/Redis:7", "has capital letters in its repository path")]
    [InlineData("redis:7 alpine", "is not a valid image reference; use a registry reference")]
    [InlineData("oci:", "oci: needs the path of an OCI image layout directory")]
    [InlineData("oci:./images/app:bad tag", "'bad tag' is not a valid tag")]
    [InlineData("oci-archive:", "oci-archive: needs the path of an archive")]
    [InlineData("[::1]5000/app:1", "is not a valid image reference")]
    [InlineData("[:::1]:5000/app:1", "'[:::1]' is not a valid IPv6 address")]
    [InlineData("[1::2::3]:5000/app:1", "'[1::2::3]' is not a valid IPv6 address")]
    [InlineData("[fe80::1%eth0]:5000/app:1", "is not a valid image reference")]
    [InlineData("[]:5000/app:1", "is not a valid image reference")]
    [InlineData("[::g]:5000/app:1", "is not a valid image reference")]
    [InlineData("::1:5000/app:1", "is not a valid image reference")]
    [InlineData("rootfs/BusyBox", "has capital letters in its repository path")]
    public void AnImageThatIsNoReferenceLayoutArchiveOrDirectoryIsReported(string image, string reason)
    {
        var outcome = Run(Header + $"""
            [services.api]
            image = "{image}"
            """);

        AssertReported(outcome, "BERTH0004", 5, 9, $"Invalid value for 'services.api.image'", reason);
    }

    [Theory]
    [InlineData("docker.io/library/redis:7")]
    [InlineData("redis")]
    [InlineData("localhost:5000/team/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ghcr.io/org/my_app-x:v1.2.3")]
    [InlineData("oci:./images/app")]
    [InlineData("oci:/srv/images/app:1.0")]
    [InlineData("oci-archive:../app.tar")]
    [InlineData("./rootfs")]
    [InlineData("[::1]:5000/app:1")]
    [InlineData("[::1]/app")]
    [InlineData("[2001:db8::17]:443/team/app:v2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::ffff:7f00:1]:5000/app")]
    public void RegistryReferencesLayoutsArchivesAndDirectoriesAreImages(string image)
    {
        var outcome = Run(Header + $"""
            [services.api]
            image = "{image}"
            """);

        Assert.Empty(outcome.Outcome.Diagnostics);
    }

    [Fact]
    public void NamedVolumeInTableFormFollowsTheNamingRules()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            volumes = [{ type = "volume", source = "my data", target = "/data" }]
            """);

        AssertReported(outcome, "BERTH0004", 6, 40, "volume name 'my data' is not valid");
    }

    [Fact]
    public void UnknownKeyInAnOverlayNamesTheOverlayTable()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [environments.dev]

            [environments.prod.services.api]
            replica = 2
            """);

        AssertReported(outcome, "BERTH0002", 10, 1, "Unknown key 'replica' in [environments.prod.services.api]; did you mean 'replicas'?");
    }

    [Fact]
    public void TwoEnvironmentsMayNotShareADotnetName()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [environments.dev]
            dotnet_environment = "Development"

            [environments.local]
            dotnet_environment = "Development"
            """);

        AssertReported(outcome, "BERTH0004", 11, 22, "environment 'dev' already has the .NET name 'Development'");
    }

    [Fact]
    public void UnknownKeyWithoutCloseMatchListsTheKnownKeys()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            colour = "blue"
            """);

        AssertReported(outcome, "BERTH0002", 6, 1, "Unknown key 'colour' in [services.api]; known keys: project, image, command");
    }

    [Fact]
    public void UnknownKeyInANestedTableNamesThatTable()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            health = { http = "/health", intervall = "5s" }
            """);

        AssertReported(outcome, "BERTH0002", 6, 30, "Unknown key 'intervall' in [services.api.health]; did you mean 'interval'?");
    }

    [Fact]
    public void UnknownRootKeyIsReported()
    {
        var outcome = Run(Header + """
            [service.api]
            image = "nginx"

            [services.web]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0002", 4, 2, "Unknown key 'service' in stack.toml; did you mean 'services'?");
    }

    [Theory]
    [InlineData("replicas = \"2\"", 12, "'services.api.replicas' must be an integer, not a string")]
    [InlineData("routes = \"/api\"", 10, "'services.api.routes' must be an array of strings, not a string")]
    [InlineData("routes = [\"/api\", 2]", 19, "'services.api.routes items' must be strings, not an integer")]
    [InlineData("env = [\"A=1\"]", 7, "'services.api.env' must be a table, not an array")]
    [InlineData("read_only = \"yes\"", 13, "'services.api.read_only' must be true or false, not a string")]
    [InlineData("limits = { memory = true }", 21, "'services.api.limits.memory' must be a size such as \"256MiB\" or a number of bytes, not a boolean")]
    [InlineData("user = 1.5", 8, "'services.api.user' must be a user name, uid or \"uid:gid\", not a float")]
    [InlineData("depends_on = \"db\"", 14, "'services.api.depends_on' must be an array of service names or a table of name = condition")]
    public void WrongTypeSaysWhatWasExpectedAndWhatWasFound(string line, int column, string message)
    {
        var outcome = Run(ServiceWith(line));

        AssertReported(outcome, "BERTH0003", ServiceLine, column, message);
    }

    [Theory]
    [InlineData("protocol = \"udp\"", 12, "'services.api.protocol': 'udp' is not one of \"http\", \"tcp\"")]
    [InlineData("restart = \"on_failure\"", 11, "'services.api.restart': 'on_failure' is not one of \"no\", \"on-failure\", \"always\", \"unless-stopped\"; did you mean 'on-failure'?")]
    [InlineData("network = \"bridge\"", 11, "'services.api.network': 'bridge' is not one of \"isolated\", \"host\"")]
    [InlineData("depends_on = { db = \"ready\" }", 21, "'services.api.depends_on.db': 'ready' is not one of \"started\", \"healthy\", \"completed\"")]
    [InlineData("depends_on = { db = \"healty\" }", 21, "'healty' is not one of \"started\", \"healthy\", \"completed\"; did you mean 'healthy'?")]
    [InlineData("port = 70000", 8, "'services.api.port': 70000 is out of range; use 1 to 65535")]
    [InlineData("port = 0", 8, "'services.api.port': 0 is out of range; use 1 to 65535")]
    [InlineData("replicas = 1001", 12, "'services.api.replicas': 1001 is out of range; use 0 to 1000")]
    [InlineData("replicas = -1", 12, "'services.api.replicas': -1 is out of range; use 0 to 1000")]
    [InlineData("limits = { pids = 0 }", 19, "'services.api.limits.pids': 0 is out of range; use 1 to 4194304")]
    [InlineData("cap_add = [\"NET_ADMINN\"]", 12, "'services.api.cap_add': 'NET_ADMINN' is not a Linux capability (nor ALL); did you mean 'NET_ADMIN'?")]
    [InlineData("routes = [\"api\"]", 11, "'services.api.routes': 'api' must be a path prefix such as \"/api/catalog\"")]
    [InlineData("routes = [\"/api/*\"]", 11, "'/api/*' must be a path prefix")]
    [InlineData("routes = [\"/api?x=1\"]", 11, "'/api?x=1' must be a path prefix")]
    [InlineData("ports = [\"80:99999\"]", 10, "'services.api.ports': '80:99999' is not a port mapping; write \"HOST:CONTAINER\"")]
    [InlineData("ports = [\"http\"]", 10, "'http' is not a port mapping")]
    [InlineData("volumes = [\"data\"]", 12, "'services.api.volumes[0]': 'data' is not SOURCE:TARGET or SOURCE:TARGET:ro")]
    [InlineData("volumes = [\"data:relative\"]", 12, "the target 'relative' must be an absolute path in the container")]
    [InlineData("health = { http = \"health\" }", 19, "'services.api.health.http': 'health' must be a path starting with '/'")]
    [InlineData("health = { http = \"/health\", tcp = true }", 10, "'services.api.health': set exactly one of http, tcp and command, not http and tcp")]
    [InlineData("env = { \"A=B\" = \"1\" }", 9, "'services.api.env.A=B': an environment variable name must be non-empty and hold no '=' or NUL")]
    [InlineData("user = \"\"", 8, "'services.api.user': it is empty; for example: user = \"1000:1000\"")]
    [InlineData("user = -1", 8, "'services.api.user': -1 is out of range; a uid is 0 to 4294967294")]
    [InlineData("health = { command = [] }", 22, "'services.api.health.command': it is empty; for example: command = [\"/app/healthcheck\"]")]
    public void InvalidValueSaysWhyAndWhatIsAllowed(string line, int column, string message)
    {
        AssertReported(Run(ServiceWith(line)), "BERTH0004", ServiceLine, column, "Invalid value for ", message);
    }

    [Fact]
    public void CapAddAllIsAccepted()
    {
        var ran = Run(ServiceWith("cap_add = [\"all\"]"));

        Assert.Empty(ran.Diagnostics);
        Assert.Contains(ran.Sources, s => s.SourceText.ToString().Contains("\"ALL\"", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyImageIsReported()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "  "
            """);

        AssertReported(outcome, "BERTH0004", 5, 9, "Invalid value for 'services.api.image': it is empty; for example: image = ");
        AssertReported(outcome, "BERTH0008", 4, 11, "Service 'api' needs either 'project'");
    }

    [Fact]
    public void InvalidGatewayBindIsReportedOnTheValue()
    {
        var outcome = Run(Header + """
            [gateway]
            bind = "localhost"

            [services.api]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0004", 5, 8, "Invalid value for 'gateway.bind': 'localhost' is not an IP address; use \"127.0.0.1\"");
    }

    [Fact]
    public void GatewayPortOutOfRangeIsReported()
    {
        var outcome = Run(Header + """
            [gateway]
            port = 65536

            [services.api]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0004", 5, 8, "Invalid value for 'gateway.port': 65536 is out of range; use 1 to 65535");
    }

    [Fact]
    public void RoutesOnATcpServiceAreReported()
    {
        var outcome = Run(ServiceWith("protocol = \"tcp\"\nroutes = [\"/db\"]"));

        AssertReported(outcome, "BERTH0004", ServiceLine + 1, 10, "gateway routes carry HTTP; a service with protocol = \"tcp\" publishes with 'ports' instead");
    }

    [Theory]
    [InlineData("limits = { memory = \"12 parsecs\" }", 21, "'12 parsecs' for 'services.api.limits.memory'")]
    [InlineData("limits = { memory = \"0MiB\" }", 21, "'0MiB' for 'services.api.limits.memory'")]
    [InlineData("limits = { memory = \"99999999999TiB\" }", 21, "'99999999999TiB' for 'services.api.limits.memory'")]
    [InlineData("limits = { memory = -5 }", 21, "'-5' for 'services.api.limits.memory'")]
    [InlineData("volumes = [{ type = \"tmpfs\", target = \"/cache\", size = \"lots\" }]", 56, "'lots' for 'services.api.volumes[0].size'")]
    public void InvalidSizeShowsTheAcceptedUnits(string line, int column, string message)
    {
        AssertReported(Run(ServiceWith(line)), "BERTH0005", ServiceLine, column, "Invalid size ", message, "\"256MiB\", \"1GiB\", \"512MB\" or \"64k\"");
    }

    [Theory]
    [InlineData("stop_grace_period = \"10 seconds\"", 21, "'10 seconds' for 'services.api.stop_grace_period'")]
    [InlineData("stop_grace_period = \"-1s\"", 21, "'-1s' for 'services.api.stop_grace_period'")]
    [InlineData("health = { http = \"/health\", interval = \"soon\" }", 41, "'soon' for 'services.api.health.interval'")]
    [InlineData("health = { tcp = true, timeout = \"5d\" }", 34, "'5d' for 'services.api.health.timeout'")]
    [InlineData("health = { tcp = true, start_period = \"1m30\" }", 39, "'1m30' for 'services.api.health.start_period'")]
    public void InvalidDurationShowsTheAcceptedUnits(string line, int column, string message)
    {
        AssertReported(Run(ServiceWith(line)), "BERTH0006", ServiceLine, column, "Invalid duration ", message, "units h, m, s, ms or us");
    }

    [Theory]
    [InlineData("limits = { cpus = 0 }", "0")]
    [InlineData("limits = { cpus = -1.5 }", "-1.5")]
    [InlineData("limits = { cpus = 2000 }", "2000")]
    [InlineData("limits = { cpus = \"many\" }", "many")]
    [InlineData("limits = { cpus = nan }", "NaN")]
    public void InvalidCpusSaysWhatIsAllowed(string line, string shown)
    {
        AssertReported(Run(ServiceWith(line)), "BERTH0007", ServiceLine, 19, $"Invalid CPU limit '{shown}' for 'services.api.limits.cpus'", "at most 1024");
    }

    [Fact]
    public void ServiceWithoutSourceOnlyInOneEnvironmentNamesIt()
    {
        // An overlay that sets an empty project drops the base image (they replace each other) and leaves nothing.
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [environments.dev]

            [environments.prod.services.api]
            project = " "
            """);

        AssertReported(outcome, "BERTH0004", 10, 11, "'services.api.project': it is empty");
        AssertReported(outcome, "BERTH0008", 4, 11, "Service 'api' needs either 'project'", "(in environment 'prod')");
    }

    [Fact]
    public void ServiceWithTwoSourcesFromAnOverlayIsReported()
    {
        var outcome = Run(Header + """
            [services.api]
            project = "../Api/Api.csproj"

            [environments.dev]

            [environments.prod.services.api]
            image = "registry.example.com/api:1"
            """);

        // project and image replace each other across an overlay, so this is no conflict.
        Assert.Empty(outcome.Diagnostics);

        outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [environments.dev]

            [environments.prod.services.api]
            image = "nginx:2"
            project = "../Api/Api.csproj"
            """);

        AssertReported(outcome, "BERTH0009", 10, 9, "Service 'api' sets both 'project' and 'image'; keep exactly one (in environment 'prod')");
    }

    [Fact]
    public void UnknownServiceInAnOverlayIsReportedOnItsName()
    {
        var outcome = Run(Header + """
            [services.catalog]
            image = "nginx"

            [environments.prod.services.catalogue]
            replicas = 2
            """);

        AssertReported(outcome, "BERTH0010", 7, 29, "Unknown service 'catalogue' in environments.prod.services; did you mean 'catalog'?");
    }

    [Fact]
    public void UnknownServiceInADependencyTableIsReportedOnItsName()
    {
        var outcome = Run(ServiceWith("depends_on = { cache = \"healthy\" }"));

        AssertReported(outcome, "BERTH0010", ServiceLine, 16, "Unknown service 'cache' in services.api.depends_on");
    }

    [Fact]
    public void UnknownServiceOnlyInOneEnvironmentNamesIt()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [services.db]
            image = "postgres"

            [environments.dev]

            [environments.prod.services.api]
            depends_on = ["database"]
            """);

        AssertReported(outcome, "BERTH0010", 13, 15, "Unknown service 'database' in services.api.depends_on (in environment 'prod')");
    }

    [Fact]
    public void UnknownSecretInAnOverlayIsReportedOnItsName()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            env = "API_KEY"

            [environments.prod.secrets.api_keys]
            user_secret = "Shop:ApiKey"
            """);

        AssertReported(outcome, "BERTH0011", 10, 28, "Unknown secret 'api_keys' in environments.prod.secrets: declare it as [secrets.api_keys]; did you mean 'api_key'?");
    }

    [Fact]
    public void SelfDependencyIsACycle()
    {
        var outcome = Run(ServiceWith("depends_on = [\"api\"]"));

        AssertReported(outcome, "BERTH0012", ServiceLine, 15, "a cycle: api → api;");
    }

    [Fact]
    public void LongerCycleIsNamedInDeclarationOrder()
    {
        var outcome = Run(Header + """
            [services.web]
            image = "nginx"
            depends_on = ["api"]

            [services.api]
            image = "nginx"
            depends_on = { db = "healthy" }

            [services.db]
            image = "postgres"
            depends_on = ["web"]
            """);

        AssertReported(outcome, "BERTH0012", 14, 15, "a cycle: web → api → db → web;");
    }

    [Fact]
    public void CycleOnlyInOneEnvironmentNamesIt()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            depends_on = ["db"]

            [services.db]
            image = "postgres"

            [environments.dev]

            [environments.prod.services.db]
            depends_on = ["api"]
            """);

        AssertReported(outcome, "BERTH0012", 14, 15, "api → db → api", "(in environment 'prod')");
    }

    [Fact]
    public void HostPortUsedByTwoServicesIsReportedOnTheSecond()
    {
        var outcome = Run(Header + """
            [services.db]
            image = "postgres"
            ports = ["5432:5432"]

            [services.replica]
            image = "postgres"
            ports = [5432]
            """);

        AssertReported(outcome, "BERTH0013", 10, 10, "Host port 5432 is already used by service 'db'; pick another port");
    }

    [Fact]
    public void HostPortClashWithAnEnvironmentsGatewayNamesTheEnvironment()
    {
        var outcome = Run(Header + """
            [services.web]
            image = "nginx"
            ports = ["80:80"]

            [environments.dev]

            [environments.prod]
            gateway = { port = 80 }
            """);

        AssertReported(outcome, "BERTH0013", 6, 10, "Host port 80 is already used by the gateway; pick another port (in environment 'prod')");
    }

    [Fact]
    public void DefaultGatewayPortCountsAsUsed()
    {
        var outcome = Run(ServiceWith("ports = [\"8080:80\"]"));

        AssertReported(outcome, "BERTH0013", ServiceLine, 10, "Host port 8080 is already used by the gateway");
    }

    [Theory]
    [InlineData("/api", "/api/", "/api")]
    [InlineData("/api", "/API", "/API")]
    [InlineData("/api/", "/Api//", "/Api")]
    [InlineData("/", "//", "/")]
    public void OverlappingRoutesAreComparedNormalised(string first, string second, string shown)
    {
        var outcome = Run(Header + $"""
            [services.a]
            image = "nginx"
            routes = ["{first}"]

            [services.b]
            image = "nginx"
            routes = ["{second}"]
            """);

        AssertReported(outcome, "BERTH0014", 10, 11, $"Gateway route '{shown}' is already served by service 'a'; give each service its own path prefix");
    }

    [Fact]
    public void SecretWithoutSourceInOnlyOneEnvironmentNamesIt()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            secrets = ["api_key"]

            [secrets.api_key]

            [environments.dev.secrets.api_key]
            env = "API_KEY"

            [environments.prod]
            """);

        AssertReported(outcome, "BERTH0015", 8, 10, "Secret 'api_key' has no source (in environment 'prod'): set one of");
    }

    [Fact]
    public void SecretWithoutSourceInSeveralEnvironmentsNamesThem()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]

            [environments.dev.secrets.api_key]
            env = "API_KEY"

            [environments.staging]

            [environments.prod]
            """);

        AssertReported(outcome, "BERTH0015", 7, 10, "Secret 'api_key' has no source (in environments 'staging', 'prod'): set one of");
    }

    [Fact]
    public void ProjectIsLookedUpRelativeToStackToml()
    {
        const string toml = Header + """
            [services.api]
            project = "../Api/Api.csproj"

            [services.worker]
            project = "Worker/Worker.csproj"
            """;

        var outcome = Run(toml, existingFiles: ["/stacks/Api/Api.csproj"]);

        AssertReported(outcome, "BERTH0016", 8, 11, "Project 'Worker/Worker.csproj' of service 'worker' does not exist (looked for /stacks/shop/Worker/Worker.csproj); paths are relative to the directory of stack.toml");
        Assert.Empty(Run(toml, existingFiles: ["/stacks/Api/Api.csproj", "/stacks/shop/Worker/Worker.csproj"]).Diagnostics);

        // Without the list of existing files (a design-time build), nothing is checked.
        Assert.Empty(Run(toml).Diagnostics);
    }

    [Theory]
    [InlineData("rootfs/busybox")]
    [InlineData("rootfs/BusyBox")]
    [InlineData("./rootfs/BusyBox")]
    [InlineData("/srv/rootfs")]
    public void AnImageNamingAnExistingDirectoryIsThatDirectory(string image)
    {
        var toml = Header + $"""
            [services.box]
            image = "{image}"
            command = ["/bin/sh"]
            """;

        Assert.Empty(Run(toml, existingFiles: ["/stacks/shop/rootfs/busybox", "/stacks/shop/rootfs/BusyBox", "/srv/rootfs"]).Diagnostics);
    }

    [Fact]
    public void AnImageDirectoryWrittenAsAPathThatDoesNotExistIsReported()
    {
        const string toml = Header + """
            [services.box]
            image = "./rootfs/busybox"
            """;

        var outcome = Run(toml, existingFiles: []);

        AssertReported(
            outcome, "BERTH0025", 5, 9,
            "Image directory './rootfs/busybox' of service 'box' does not exist (looked for /stacks/shop/rootfs/busybox); paths are relative to the directory of stack.toml: create the root filesystem there, or name an image");
        Assert.Empty(Run(toml, existingFiles: ["/stacks/shop/rootfs/busybox"]).Diagnostics);

        // Without the list of existing files (a design-time build), nothing is checked.
        Assert.Empty(Run(toml).Diagnostics);
    }

    [Fact]
    public void AMissingPlainNameIsARegistryReferenceAndCheckedAsOne()
    {
        // "rootfs/busybox" with no such directory is docker.io/rootfs/busybox, as up takes it; "rootfs/BusyBox" cannot be.
        Assert.Empty(Run(Header + """
            [services.box]
            image = "rootfs/busybox"
            """, existingFiles: []).Diagnostics);
        AssertReported(
            Run(Header + """
                [services.box]
                image = "rootfs/BusyBox"
                """, existingFiles: []),
            "BERTH0004", 5, 9, "Invalid value for 'services.box.image'", "has capital letters in its repository path");
    }

    [Fact]
    public void ProjectMissingOnlyInOneEnvironmentNamesIt()
    {
        var outcome = Run(
            Header + """
                [services.api]
                project = "../Api/Api.csproj"

                [environments.dev]

                [environments.prod.services.api]
                project = "../Api/Api.Prod.csproj"
                """,
            existingFiles: ["/stacks/Api/Api.csproj"]);

        AssertReported(outcome, "BERTH0016", 10, 11, "Project '../Api/Api.Prod.csproj' of service 'api' does not exist (looked for /stacks/Api/Api.Prod.csproj)", "(in environment 'prod')");
    }

    [Fact]
    public void StackWithOnlyAWarningStillEmitsSourceThatCompiles()
    {
        var outcome = Run(
            Header + """
                [services.api]
                project = "../Api/Api.csproj"
                secrets = ["api_key", "tls_cert"]

                [secrets.api_key]
                file = "secrets/api_key.txt"

                [secrets.tls_cert]
                file = "/etc/shop/tls.pem"
                """,
            existingFiles: ["/stacks/Api/Api.csproj", "/etc/shop/tls.pem"]);

        var warning = AssertReported(outcome, "BERTH0017", 9, 8, "Secret file 'secrets/api_key.txt' of secret 'api_key' does not exist (looked for /stacks/shop/secrets/api_key.txt); the stack will fail to start until it does");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Single(outcome.Diagnostics);
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Theory]
    [InlineData("[services.1api]", 11, "Service name '1api' cannot be used: it must start with a letter (a-z, A-Z)")]
    [InlineData("[services.\"api v1\"]", 11, "Service name 'api v1' cannot be used: ' ' is not allowed; use letters, digits, '-' and '_'")]
    [InlineData("[services.\"café\"]", 11, "Service name 'café' cannot be used: 'é' is not allowed")]
    [InlineData("[services.api-]", 11, "Service name 'api-' cannot be used: '-' must stand between letters or digits")]
    [InlineData("[services.api--v2]", 11, "Service name 'api--v2' cannot be used: '-' must stand between letters or digits")]
    [InlineData("[services.\"\"]", 11, "Service name '' cannot be used: it is empty")]
    public void InvalidServiceNameIsReportedOnTheName(string header, int column, string message)
    {
        var outcome = Run(Header + header + "\nimage = \"nginx\"\n");

        AssertReported(outcome, "BERTH0018", 4, column, message);

        // The service is unusable, but it is there: "declares no services" would send the reader astray.
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Id == "BERTH0019");
    }

    [Fact]
    public void NamesThatBecomeTheSameIdentifierAreReportedOnTheSecond()
    {
        var outcome = Run(Header + """
            [services.order-db]
            image = "postgres"

            [services.order_db]
            image = "postgres"
            """);

        AssertReported(outcome, "BERTH0018", 7, 11, "Service name 'order_db' cannot be used: it becomes the C# name 'OrderDb', as 'order-db' does; rename one of them");
    }

    [Theory]
    [InlineData("definition", "Definition", "of the generated stack class")]
    [InlineData("descriptor", "Descriptor", "of the generated stack class")]
    [InlineData("service-names", "ServiceNames", "of the generated stack class")]
    [InlineData("parse-environment", "ParseEnvironment", "of the generated stack class")]
    [InlineData("memberwise-clone", "MemberwiseClone", "of the generated stack class")]
    [InlineData("reference_equals", "ReferenceEquals", "of the generated stack class")]
    [InlineData("shop-stack", "ShopStack", "of the generated stack class")]
    [InlineData("shop-environment", "ShopEnvironment", "of the generated stack class")]
    [InlineData("create-dev", "CreateDev", "of the generated stack class (the factory of environment 'dev')")]
    [InlineData("start-async", "StartAsync", "of the generated stack class")]
    [InlineData("gateway", "Gateway", "of the generated running stack class (RunningShopStack)")]
    [InlineData("get-service", "GetService", "of the generated running stack class (RunningShopStack)")]
    [InlineData("running-shop-stack", "RunningShopStack", "of the generated running stack class (RunningShopStack)")]
    public void ServiceNameTakenByAGeneratedMemberIsReported(string name, string identifier, string owner)
    {
        var outcome = Run(Header + $"""
            [services.{name}]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0018", 4, 11, $"Service name '{name}' cannot be used: its C# name '{identifier}' is taken by a member {owner}; rename the service");
    }

    [Fact]
    public void ServiceNamedLikeAnEnvironmentFactoryIsReportedForThatEnvironment()
    {
        var outcome = Run(Header + """
            [services.create-staging]
            image = "nginx"

            [environments.staging]
            """);

        AssertReported(outcome, "BERTH0018", 4, 11, "its C# name 'CreateStaging' is taken by a member of the generated stack class (the factory of environment 'staging')");
    }

    [Theory]
    [InlineData("secret-names", "SecretNames")]
    [InlineData("to_string", "ToString")]
    [InlineData("equals", "Equals")]
    [InlineData("memberwise-clone", "MemberwiseClone")]
    public void SecretNameTakenByAGeneratedMemberIsReported(string name, string identifier)
    {
        var outcome = Run(Header + $"""
            [services.api]
            image = "nginx"

            [secrets.{name}]
            env = "X"
            """);

        AssertReported(outcome, "BERTH0018", 7, 10, $"Secret name '{name}' cannot be used: its C# name '{identifier}' is taken by a member of the generated SecretNames class; rename the secret");
    }

    [Fact]
    public void NamesCloseToGeneratedMembersCompile()
    {
        // Each of these is one step away from a reserved name: a service, a secret, an environment.
        var outcome = Run(Header + """
            [services.finalize]
            image = "nginx"

            [services.create]
            image = "nginx"

            [services.environment-name]
            image = "nginx"

            [secrets.service-names]
            env = "A"

            [secrets.definition]
            env = "B"

            [environments.shop-environment]
            [environments.to-string]
            """);

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Theory]
    [InlineData("[stack]\nname = \"9lives\"\n", 2, 8, "Stack name '9lives' cannot be used: it must start with a letter")]
    [InlineData("[stack]\nname = \"my shop\"\n", 2, 8, "Stack name 'my shop' cannot be used: ' ' is not allowed")]
    [InlineData("[stack]\nname = \"shop\"\n[environments.\"pre prod\"]\n", 3, 15, "Environment name 'pre prod' cannot be used")]
    [InlineData("[stack]\nname = \"shop\"\n[environments.pre-prod]\n[environments.pre_prod]\n", 4, 15, "Environment name 'pre_prod' cannot be used: it becomes the C# name 'PreProd' as another environment does")]
    public void InvalidStackAndEnvironmentNamesAreReported(string head, int line, int column, string message)
    {
        var outcome = Run(head + "[services.api]\nimage = \"nginx\"\n");

        AssertReported(outcome, "BERTH0018", line, column, message);
    }

    [Fact]
    public void EmptyStackIsReportedOnTheEmptyServicesTable()
    {
        var outcome = Run(Header + """
            [services]

            [secrets.api_key]
            env = "API_KEY"
            """);

        AssertReported(outcome, "BERTH0019", 4, 2, "The stack declares no services: add at least one [services.NAME] table");
    }

    [Fact]
    public void EmptyFileSaysBothWhatIsMissing()
    {
        var outcome = Run(string.Empty);

        AssertReported(outcome, "BERTH0020", 1, 1, "[stack] name is required");
        AssertReported(outcome, "BERTH0019", 1, 1, "The stack declares no services");
        Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void StackTableWithoutNameIsReportedOnTheTable()
    {
        var outcome = Run("""
            # The shop.
            [stack]
            environment = "dev"

            [services.api]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0020", 2, 2, "[stack] name is required: add name = \"shop\"");
    }

    [Fact]
    public void VolumeWithoutTargetIsReported()
    {
        var outcome = Run(ServiceWith("volumes = [{ source = \"./data\" }]"));

        AssertReported(outcome, "BERTH0020", ServiceLine, 12, "services.api.volumes[0].target is required: add target = \"/path/in/container\"");
    }

    [Fact]
    public void UnknownDefaultEnvironmentWithoutEnvironmentsListsDev()
    {
        var outcome = Run("""
            [stack]
            name = "shop"
            environment = "prod"

            [services.api]
            image = "nginx"
            """);

        AssertReported(outcome, "BERTH0021", 3, 15, "Unknown environment 'prod': declared environments are dev");
    }

    [Theory]
    [InlineData("\"${DB_HOST\"", "'${' at position 1 is never closed with '}'")]
    [InlineData("\"${}\"", "'${}' does not start with a variable name")]
    [InlineData("\"${1HOST}\"", "'${1HOST}' does not start with a variable name")]
    [InlineData("\"${HOST:x}\"", "'${HOST:x}' has ':x' after the variable name")]
    public void InvalidInterpolationSaysWhatIsWrong(string value, string message)
    {
        var outcome = Run(ServiceWith($"env = {{ URL = {value} }}"));

        AssertReported(outcome, "BERTH0022", ServiceLine, 15, "Invalid interpolation in 'services.api.env.URL': ", message, "use ${VAR}, ${VAR:-default}, ${VAR:?message}, or $$ for a literal $");
    }

    [Fact]
    public void ValidInterpolationsAreAccepted()
    {
        var outcome = Run(ServiceWith("env = { A = \"${HOST}\", B = \"${PORT:-80}\", C = \"${KEY:?set KEY}\", D = \"$$5 and $HOME\", E = \"${X-y}${Y:+z}\", F = 3 }"));

        Assert.Empty(outcome.Diagnostics);
        Assert.Single(outcome.Sources);
    }

    [Fact]
    public void SecretWithTwoSourcesFromAnOverlayIsReportedThere()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            env = "API_KEY"

            [environments.dev]

            [environments.prod.secrets.api_key]
            user_secret = "Shop:ApiKey"
            file = "/run/secrets/api_key"
            """);

        AssertReported(outcome, "BERTH0023", 13, 1, "Secret 'api_key' sets both 'file' and 'user_secret'; a secret comes from exactly one of file, env or user_secret (in environment 'prod')");
    }

    [Fact]
    public void SecretFromAnEnvironmentVariableNeedsAUsableName()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"

            [secrets.api_key]
            env = "API_KEY=1"
            """);

        AssertReported(outcome, "BERTH0004", 8, 7, "Invalid value for 'secrets.api_key.env': 'API_KEY=1' cannot name an environment variable: it holds '=' or NUL");
    }

    [Fact]
    public void SecretReplacedByAValueInAnOverlayIsReported()
    {
        var outcome = Run(Header + """
            [services.api]
            image = "nginx"
            secrets = ["api_key"]

            [secrets.api_key]
            env = "API_KEY"

            [environments.prod.secrets]
            api_key = "hunter2"
            """);

        AssertReported(outcome, "BERTH0003", 12, 11, "'environments.prod.secrets.api_key' must be a table, not a string");
    }

    [Theory]
    [InlineData("\"Pre Prod\"", "'Pre Prod' is not a .NET environment name")]
    [InlineData("\"Staging\\n\"", "is not a .NET environment name")]
    [InlineData("\"Prüfung\"", "'Prüfung' is not a .NET environment name")]
    [InlineData("\"\"", "it is empty")]
    public void InvalidDotnetEnvironmentIsReported(string value, string message)
    {
        var outcome = Run(Header + $"""
            [services.api]
            image = "nginx"

            [environments.staging]
            dotnet_environment = {value}
            """);

        AssertReported(outcome, "BERTH0004", 8, 22, "Invalid value for 'environments.staging.dotnet_environment': ", message);
    }

    [Fact]
    public void SyntaxErrorIsReportedOnceAtItsPlace()
    {
        // Tomlyn also reports the lines after an unclosed header; only the first error is the user's.
        var outcome = Run(s_cases["BERTH0001"].Toml);

        Assert.Single(outcome.Diagnostics);
        Assert.Empty(outcome.Sources);
    }

    [Theory]
    [InlineData("name = \"shop", 2, 12, "Invalid End-Of-File found on string literal")]
    [InlineData("name = \"shop\"\nname = \"again\"", 3, 1, "'stack.name' is already set on line 2; a key may be set only once")]
    [InlineData("name = 'shop'\n[services.api]\nimage = \"nginx\" port = 80", 4, 17, "expecting token `newline`")]
    [InlineData("name = \"shop\"\n[services.api]\nimage = ", 4, 9, "for a value")]
    [InlineData("name = \"shop\"\n[services.api]\nproject = \"C:\\", 4, 15, "the text ends inside an escape sequence ('\\…') of a string")]
    [InlineData("name = \"shop\"\n[services.api]\nproject = \"\\u00", 4, 16, "the text ends inside an escape sequence")]
    public void SyntaxErrorsPointAtTheMistake(string afterStack, int line, int column, string message)
    {
        var outcome = Run("[stack]\n" + afterStack);

        AssertReported(outcome, "BERTH0001", line, column, "TOML syntax error: ", message);
    }

    [Fact]
    public void ColumnsCountCharactersAsEditorsDoAfterAnEmoji()
    {
        // Tomlyn counts code points in a line; an editor (and Roslyn) counts UTF-16 code units, and 😀 is two.
        var outcome = Run(ServiceWith("env = { GREETING = \"😀😀\", URL = \"${HOST\" }"));

        AssertReported(outcome, "BERTH0022", ServiceLine, 34, "'services.api.env.URL'");
    }

    [Fact]
    public void CrLfLineEndingsKeepLinesAndColumns()
    {
        var outcome = Run(ServiceWith("replica = 2").Replace("\n", "\r\n", StringComparison.Ordinal));

        AssertReported(outcome, "BERTH0002", ServiceLine, 1, "Unknown key 'replica'");
    }

    [Theory]
    [InlineData(62, false)]
    [InlineData(63, true)]
    [InlineData(5000, true)]
    public void DeeplyNestedArraysAreASyntaxErrorNotACrash(int depth, bool tooDeep)
    {
        var toml = ServiceWith($"config = {{ Deep = {new string('[', depth)}{new string(']', depth)} }}");

        var outcome = Run(toml);

        Assert.Null(outcome.Exception);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Id == "BERTH0999");
        if (tooDeep)
        {
            // Points at the bracket that opens the 64th level (config's inline table is the first), Tomlyn's limit.
            AssertReported(outcome, "BERTH0001", ServiceLine, 19 + 62, "nest more than 63 levels deep");
        }
        else
        {
            Assert.Empty(outcome.Diagnostics);
        }
    }

    [Fact]
    public void VeryDeepDottedKeysAreASyntaxErrorNotACrash()
    {
        var key = string.Join('.', Enumerable.Repeat("k", 20_000));
        var outcome = Run(ServiceWith($"config.{key} = 1"));

        Assert.Null(outcome.Exception);
                // config sits at depth 3 (root, services, api); the 126th "k" is the first below depth 128.
        AssertReported(outcome, "BERTH0001", ServiceLine, "config.".Length + 1 + (2 * 125), "tables and arrays nest more than 128 levels deep");
    }

    [Fact]
    public void RootRouteWrittenWithTwoSlashesIsTheRoot()
    {
        var result = StackParser.Parse(GeneratorHarness.DefaultPath, ServiceWith("routes = [\"//\"]"), null);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "/" }, result.Model!.Environments[0].Services.Single(s => s.Name == "api").Routes);
    }

    /// <summary>Asserts as <see cref="AssertReported(GeneratorOutcome, string, string, int, int, string[])"/> does.</summary>
    private static Diagnostic AssertReported(Ran ran, string id, int line, int column, params string[] messageParts) =>
        AssertReported(ran.Outcome, ran.Toml, id, line, column, messageParts);

    /// <summary>
    /// Asserts that <paramref name="outcome"/> reports <paramref name="id"/> once for the default stack.toml, at the
    /// one-based <paramref name="line"/> and <paramref name="column"/>, with a message holding every one of
    /// <paramref name="messageParts"/>, at a location whose offset and line agree in <paramref name="toml"/>.
    /// </summary>
    internal static Diagnostic AssertReported(GeneratorOutcome outcome, string toml, string id, int line, int column, params string[] messageParts)
    {
        Assert.Null(outcome.Exception);
        var matches = outcome.Diagnostics.Where(d => d.Id == id && d.Location.GetLineSpan().Path == GeneratorHarness.DefaultPath).ToList();
        Assert.True(matches.Count == 1, $"Expected one {id}, got {matches.Count}: {string.Join(" | ", outcome.Diagnostics)}");
        var diagnostic = matches[0];
        var span = diagnostic.Location.GetLineSpan();
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.True(
            (line, column) == (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1),
            $"{id} expected at ({line},{column}), reported at ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {message}");
        foreach (var part in messageParts)
        {
            Assert.Contains(part, message, StringComparison.Ordinal);
        }

        LocationAssert.Consistent(toml, diagnostic.Location.SourceSpan, span.Span);
        return diagnostic;
    }

    private static Ran Run(string toml, IEnumerable<string>? existingFiles = null) =>
        new(GeneratorHarness.Run(toml, existingFiles: existingFiles), toml);

    private static Ran RunWithFiles(string toml, IEnumerable<(string Path, string Text)> extraFiles, OutputKind outputKind = OutputKind.ConsoleApplication) =>
        new(GeneratorHarness.RunWithFiles(toml, extraFiles, outputKind: outputKind), toml);

    /// <summary>A generator run with the stack.toml it ran on, so locations can be checked against the text.</summary>
    private sealed record Ran(GeneratorOutcome Outcome, string Toml)
    {
        public ImmutableArray<Diagnostic> Diagnostics => Outcome.Diagnostics;

        public ImmutableArray<GeneratedSourceResult> Sources => Outcome.Sources;

        public ImmutableArray<GeneratedSourceResult> AllSources => Outcome.AllSources;

        public IEnumerable<Diagnostic> CompilationProblems => Outcome.CompilationProblems;

        public string? Exception => Outcome.Exception;
    }

    private sealed record DiagnosticCase(string Toml, int Line, int Column, params string[] MessageParts)
    {
        /// <summary>Passed as the build's list of existing files; null means no list (no existence checks).</summary>
        public IReadOnlyList<string>? ExistingFiles { get; init; }

        /// <summary>Another stack.toml in the same project.</summary>
        public (string Path, string Text)? SecondStack { get; init; }
    }
}
