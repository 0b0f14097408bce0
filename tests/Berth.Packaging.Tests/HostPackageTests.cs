using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text.Json;
using System.Xml.Linq;

namespace Berth.Packaging.Tests;

/// <summary>
/// The Berth.Host package as a user gets it: packed from this checkout, restored from a feed into projects outside
/// the repository, with the generator running inside the compiler and the ResolveStackFiles task inside MSBuild,
/// both loaded from the package's analyzers folder.
/// </summary>
public sealed class HostPackageTests(PackedHostFixture fixture) : IClassFixture<PackedHostFixture>
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    private const string NativeInitEntry = "runtimes/linux-x64/native/berth-init";

    private const string Arm64NativeInitEntry = "runtimes/linux-arm64/native/berth-init";

    private const string ValidStack = """
        # A service built from a project and one from an image; prod overrides the project service.
        [stack]
        name = "shop"

        [services.catalog]
        project = "../Svc/Svc.csproj"
        port = 8080
        routes = ["/"]

        [services.cache]
        image = "docker.io/library/redis:7"

        [environments.dev]

        [environments.prod.services.catalog]
        replicas = 3
        config = { "Catalog:Mode" = "prod" }
        """;

    [Fact]
    public void PackageHoldsTheLibraryTheGeneratorAndTheBuildWiring()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var files = package.Entries
            .Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal)
                && !name.StartsWith("package/", StringComparison.Ordinal)
                && name != "[Content_Types].xml")
            .Order(StringComparer.Ordinal);
        // The native inits are there wherever the packing machine could link them, always under CI (see NativeInit...).
        var nativeInit = new[] { Arm64NativeInitEntry, NativeInitEntry }.Where(entry => package.GetEntry(entry) is not null).ToArray();
        Assert.Equal(
        [
            "Berth.Host.nuspec",
            "README.md",
            AnalyzerFolder + "Berth.Generator.dll",
            AnalyzerFolder + "Tomlyn.dll",
            "build/Berth.Host.targets",
            "buildTransitive/Berth.Host.targets",
            "lib/net10.0/Berth.Host.dll",
            "lib/net10.0/Berth.Runtime.dll",
            .. nativeInit,
            "tools/init/Berth.Runtime.Init.deps.json",
            "tools/init/Berth.Runtime.Init.dll",
            "tools/init/Berth.Runtime.Init.runtimeconfig.json",
        ], files);

        var targets = File.ReadAllText(Path.Combine(PackedHostFixture.RepoRoot, "src", "Host", "build", "Berth.Host.targets"));
        Assert.Equal(targets, ReadText(package, "build/Berth.Host.targets"));
        Assert.Equal(targets, ReadText(package, "buildTransitive/Berth.Host.targets"));

        var nuspec = XDocument.Parse(ReadText(package, "Berth.Host.nuspec"));
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Metadata(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("Berth.Host", Metadata("id"));
        Assert.Equal(fixture.Version, Metadata("version"));
        Assert.Equal("README.md", Metadata("readme"));
        Assert.Equal("MIT", Metadata("license"));
        Assert.False(string.IsNullOrWhiteSpace(Metadata("authors")));
        Assert.Contains("stack.toml", Metadata("description"), StringComparison.Ordinal);

        // What the consumer restores from the default feeds (the generator and the runtime are packed, not
        // dependencies), and the shared framework it needs: ASP.NET Core, for the gateway.
        var dependencies = Assert.Single(metadata.Elements().Single(e => e.Name.LocalName == "dependencies").Elements());
        Assert.Equal("net10.0", dependencies.Attribute("targetFramework")?.Value);
        Assert.Equal(
            ["KubernetesClient", "System.CommandLine", "Tmds.LibC", "Tomlyn", "YamlDotNet", "Yarp.ReverseProxy", "ZstdSharp.Port"],
            dependencies.Elements().Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal));
        var frameworks = Assert.Single(metadata.Elements().Single(e => e.Name.LocalName == "frameworkReferences").Elements());
        Assert.Equal(["Microsoft.AspNetCore.App"], frameworks.Elements().Select(f => f.Attribute("name")!.Value));
    }

    [Fact]
    public void PackedTomlynParsesWithTheRuntimesOwnSystemTextJsonAndCollections()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var generator = ReadAssembly(package, AnalyzerFolder + "Berth.Generator.dll");
        var tomlyn = ReadAssembly(package, AnalyzerFolder + "Tomlyn.dll");

        // The generator was compiled against the Tomlyn that sits next to it.
        Assert.Equal(tomlyn.Version, Assert.Single(generator.References, r => r.Name == "Tomlyn").Version);

        // That Tomlyn is the netstandard2.0 build, which wants these from outside; the package carries none of them,
        // so inside the compiler and MSBuild they come from the .NET runtime, whose versions are at least these.
        Assert.Contains(tomlyn.References, r => r.Name == "netstandard");
        var fromHost = tomlyn.References.Where(r => r.Name is "System.Text.Json" or "System.Collections.Immutable" or "System.Buffers").ToList();
        Assert.Equal(["System.Buffers", "System.Collections.Immutable", "System.Text.Json"], fromHost.Select(r => r.Name).Order(StringComparer.Ordinal));
        foreach (var reference in fromHost)
        {
            Assert.DoesNotContain(package.Entries, e => e.Name.Equals(reference.Name + ".dll", StringComparison.OrdinalIgnoreCase));
            var runtime = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(reference.Name!));
            Assert.True(runtime.GetName().Version >= reference.Version, $"{reference.Name} {reference.Version} wanted; the runtime has {runtime.GetName().Version}");
            Assert.StartsWith(RuntimeEnvironment.GetRuntimeDirectory(), runtime.Location, StringComparison.Ordinal);
        }

        // Load the packed Tomlyn the way an analyzer host does (its own folder first, then the host's assemblies) and
        // parse: the parser itself asks for System.Text.Json, and the runtime's copy serves it.
        var folder = Path.Combine(fixture.Root, "analyzer-probe");
        Directory.CreateDirectory(folder);
        package.GetEntry(AnalyzerFolder + "Tomlyn.dll")!.ExtractToFile(Path.Combine(folder, "Tomlyn.dll"), overwrite: true);
        var context = new AnalyzerFolderLoadContext(folder);
        try
        {
            var loaded = context.LoadFromAssemblyName(new AssemblyName("Tomlyn"));
            Assert.Equal(Path.Combine(folder, "Tomlyn.dll"), loaded.Location);
            var parse = loaded.GetType("Tomlyn.Parsing.SyntaxParser", throwOnError: true)!
                .GetMethod("Parse", [typeof(string), typeof(string), typeof(bool)])!;
            var document = parse.Invoke(null, [ValidStack, "stack.toml", true])!;
            Assert.False((bool)document.GetType().GetProperty("HasErrors")!.GetValue(document)!, "Tomlyn reported errors for a valid stack.toml");
            Assert.Contains("System.Text.Json", context.DeferredToHost);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public async Task StackProjectWithoutProgramBuildsAndItsCommandLinePrintsTheMergedEnvironment()
    {
        var project = fixture.CreateStackProject("Shop", ValidStack);

        var build = await project.BuildAsync("-v:n");
        Assert.True(build.Succeeded, build.ToString());

        // The compiler got the generator and Tomlyn from the restored package...
        var analyzers = Path.Combine(fixture.InstalledPackage, "analyzers", "dotnet", "cs");
        AssertOutputContains(build, "/analyzer:" + Path.Combine(analyzers, "Berth.Generator.dll"));
        AssertOutputContains(build, "/analyzer:" + Path.Combine(analyzers, "Tomlyn.dll"));
        // ...and the task from that same assembly listed the service project, so no BERTH0016 for it.
        Assert.Equal(fixture.ServiceProject + "\n", project.ReadExistingFilesList());

        var prod = await project.RunAsync(null, "config", "-e", "prod");
        Assert.True(prod.Succeeded, prod.ToString());
        using (var json = ParseJson(prod))
        {
            var root = json.RootElement;
            Assert.Equal("shop", root.GetProperty("name").GetString());
            Assert.Equal("prod", root.GetProperty("environment").GetString());
            var catalog = Service(root, "catalog");
            Assert.Equal("../Svc/Svc.csproj", catalog.GetProperty("project").GetString());
            Assert.Equal(8080, catalog.GetProperty("port").GetInt32());
            Assert.Equal(3, catalog.GetProperty("replicas").GetInt32());
            Assert.Equal("prod", catalog.GetProperty("config").GetProperty("Catalog:Mode").GetString());
            var cache = Service(root, "cache");
            Assert.Equal("docker.io/library/redis:7", cache.GetProperty("image").GetString());
            Assert.Equal(1, cache.GetProperty("replicas").GetInt32());
        }

        var dev = await project.RunAsync(null, "config", "-e", "dev");
        Assert.True(dev.Succeeded, dev.ToString());
        using (var json = ParseJson(dev))
        {
            var catalog = Service(json.RootElement, "catalog");
            Assert.Equal(1, catalog.GetProperty("replicas").GetInt32());
            Assert.Empty(catalog.GetProperty("config").EnumerateObject());
        }
    }

    [Fact]
    public async Task StackProjectWithItsOwnProgramUsesTheGeneratedTypes()
    {
        // The generated types land in the project's RootNamespace.
        var project = fixture.CreateStackProject("ShopApp", ValidStack, rootNamespace: "Acme.Shop", program: """
            using Acme.Shop;
            using Berth.Host;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var stack = new ShopStack(ShopEnvironment.Prod);
            Console.WriteLine($"service: {ShopStack.ServiceNames.Catalog}");
            Console.WriteLine($"replicas: {stack.Catalog.Replicas}");

            var builder = Host.CreateApplicationBuilder(args);
            builder.AddShopStack();
            using var host = builder.Build();
            var definition = host.Services.GetRequiredService<StackDefinition>();
            Console.WriteLine($"hosted: {definition.Name}/{definition.Environment} with {definition.Services.Length} services");
            """);

        var build = await project.BuildAsync();
        Assert.True(build.Succeeded, build.ToString());

        // AddShopStack() without an environment follows DOTNET_ENVIRONMENT; Production is prod's .NET name.
        var run = await project.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" });
        Assert.True(run.Succeeded, run.ToString());
        Assert.Equal(
            "service: catalog\nreplicas: 3\nhosted: shop/prod with 2 services\n",
            run.StandardOutput.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// A stack project above its service (shop/Shop.csproj, shop/Web/Web.csproj): the service's sources, and what its
    /// build leaves in its obj/, stay out of the stack project. A second build would otherwise compile the service's
    /// generated assembly attributes twice, and its top-level statements would replace the stack's command line.
    /// </summary>
    [Fact]
    public async Task StackProjectAboveItsServiceCompilesNoneOfTheServicesSources()
    {
        var project = fixture.CreateStackProject("Above", """
            [stack]
            name = "above"

            [services.web]
            project = "Web/Web.csproj"
            """);
        fixture.WriteProjectFile(Path.Combine("Above", "Web", "Web.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        fixture.WriteProjectFile(Path.Combine("Above", "Web", "Program.cs"), "System.Console.WriteLine(\"the web service\");\n");

        var first = await project.BuildAsync();
        Assert.True(first.Succeeded, first.ToString());
        var again = await project.BuildAsync();
        Assert.True(again.Succeeded, again.ToString());

        var manifest = await File.ReadAllTextAsync(Path.Combine(project.Directory, "bin", "Debug", "net10.0", "berth.services.json"));
        Assert.Contains("\"entryAssembly\": \"Web.dll\"", manifest, StringComparison.Ordinal);
        var config = await project.RunAsync(null, "config");
        Assert.True(config.Succeeded, config.ToString());
        using var json = ParseJson(config);
        Assert.Equal("Web/Web.csproj", Service(json.RootElement, "web").GetProperty("project").GetString());
    }

    /// <summary>
    /// A user who installs the package gets the native inits without any toolchain of their own: each one is there
    /// wherever the packing machine could link it (the arm64 one cross-linked), and always under CI (the pack itself
    /// fails there without them).
    /// </summary>
    [Theory]
    [InlineData(NativeInitEntry, ElfMachineX86_64, new[] { "gcc", "clang" })]
    [InlineData(Arm64NativeInitEntry, ElfMachineAarch64, new[] { "aarch64-linux-gnu-gcc" })]
    public void NativeInitIsInThePackageWhereverItCouldBeBuilt(string path, int machine, string[] toolchains)
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var entry = package.GetEntry(path);
        if (entry is null)
        {
            Assert.False(IsCi, $"Under CI=true the package must carry {path}.");
            Assert.All(toolchains, toolchain => Assert.Null(Which(toolchain)));
            return;
        }

        Assert.Equal(machine, ElfMachine(entry));
    }

    private const int ElfMachineX86_64 = 62;

    private const int ElfMachineAarch64 = 183;

    /// <summary>e_machine of an ELF file (after checking it is one): which processor it is built for.</summary>
    private static int ElfMachine(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var header = new byte[20];
        stream.ReadExactly(header);
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        return BitConverter.ToUInt16(header, 18);
    }

    /// <summary>
    /// A container started by a consumer of the package, with the init it gets by default (the native one where the
    /// package has it) and with the managed fallback: the runtime inside the package works outside the repository.
    /// </summary>
    [Fact]
    public async Task ConsumerStartsAContainerWithEitherInitFromThePackage()
    {
        var project = fixture.CreateStackProject("Runner", ValidStack, program: """
            using Berth.Runtime;
            using Berth.Runtime.Containers;

            var options = new ContainerRuntimeOptions { StateDirectory = args[0], CgroupParent = args[1] };
            if (args[2] == "managed")
            {
                options = options with { InitPath = Path.Combine(AppContext.BaseDirectory, InitLocator.ManagedFileName) };
            }

            Console.WriteLine($"init: {Path.GetRelativePath(AppContext.BaseDirectory, options.InitPath)}");
            var runtime = new ContainerRuntime(options);
            await using var container = await runtime.StartAsync(new ContainerSpec
            {
                Id = $"pkg-{Guid.NewGuid():N}"[..16],
                Executable = "/bin/sh",
                Args = ["-c", "echo pid=$$ uid=$(id -u)"],
            });
            Console.Write(await container.StandardOutput.ReadToEndAsync());
            return (await container.Exited).ExitCode;
            """);
        var build = await project.BuildAsync();
        Assert.True(build.Succeeded, build.ToString());

        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var defaultInit = package.GetEntry(NativeInitEntry) is null ? "Berth.Runtime.Init.dll" : "runtimes/linux-x64/native/berth-init";
        foreach (var (mode, expectedInit) in new[] { ("default", defaultInit), ("managed", "Berth.Runtime.Init.dll") })
        {
            var state = Path.Combine(fixture.Root, $"state-{mode}");
            var run = await project.RunAsync(null, state, $"berth/test-{Guid.NewGuid():N}", mode);

            Assert.True(run.Succeeded, run.ToString());
            Assert.Equal($"init: {expectedInit}\npid=1 uid=65534\n", run.StandardOutput.ReplaceLineEndings("\n"));
        }
    }

    /// <summary>
    /// A test project of a package user: a project reference to the stack project, nothing else of Berth's. Its build
    /// builds the stack project and the service, and brings the manifest and the init to its own output, so the
    /// generated <c>StartAsync</c> runs the stack from there.
    /// </summary>
    [Fact]
    public async Task ProjectReferencingAStackProjectStartsTheStackThroughTheGeneratedApi()
    {
        fixture.CreateProject("PairWeb", """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """,
            ("Program.cs", """
            var app = WebApplication.Create(args);
            app.MapGet("/", () => $"hello from {Environment.MachineName}");
            app.MapGet("/health", () => "ok");
            app.Run();
            """));
        fixture.CreateStackProject("Pair", """
            [stack]
            name = "pair"

            [services.web]
            project = "../PairWeb/PairWeb.csproj"
            port = 8080
            routes = ["/"]
            health = { http = "/health" }
            """);
        var tests = fixture.CreateReferencingProject("PairTests", "Pair", """
            using Berth.Host.Testing;
            using Pair;

            var options = new RunningStackOptions { StateDirectory = args[0], CgroupParent = args[1] };
            await using (var stack = await PairStack.StartAsync(PairEnvironment.Dev, options))
            {
                using var web = stack.Web.CreateHttpClient();
                Console.WriteLine($"direct: {await web.GetStringAsync("/")}");
                using var gateway = stack.Gateway.CreateHttpClient();
                Console.WriteLine($"gateway: {await gateway.GetStringAsync("/")}");
            }

            Console.WriteLine($"init: {Path.GetRelativePath(AppContext.BaseDirectory, Berth.Runtime.InitLocator.Find(AppContext.BaseDirectory))}");
            """);

        var build = await tests.BuildAsync();
        Assert.True(build.Succeeded, build.ToString());

        var state = Path.Combine(fixture.Root, "state-pair");
        var run = await tests.RunAsync(null, state, $"berth/test-{Guid.NewGuid():N}");
        Assert.True(run.Succeeded, run.ToString());
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var init = package.GetEntry(NativeInitEntry) is null ? "Berth.Runtime.Init.dll" : NativeInitEntry;
        Assert.Equal($"direct: hello from web-1\ngateway: hello from web-1\ninit: {init}\n", run.StandardOutput.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(state, "containers")));
    }

    [Fact]
    public async Task UnknownKeyFailsTheBuildAtTheKey()
    {
        const string stack = """
            [stack]
            name = "shop"

            [services.catalog]
                project = "../Svc/Svc.csproj"
                replica = 2
            """;
        var project = fixture.CreateStackProject("UnknownKey", stack);

        var build = await project.BuildAsync();

        Assert.False(build.Succeeded, build.ToString());
        var (line, column) = Locate(stack, "    ", "replica = 2");
        AssertOutputContains(build, $"{project.StackFile}({line},{column}): error BERTH0002: Unknown key 'replica' in [services.catalog]; did you mean 'replicas'?");
    }

    [Fact]
    public async Task TomlSyntaxErrorFailsTheBuildAtTheToken()
    {
        const string stack = """
            [stack]
            name = "shop"

            [services.catalog]
            project = "../Svc/Svc.csproj"
            port = 80 80
            """;
        var project = fixture.CreateStackProject("SyntaxError", stack);

        var build = await project.BuildAsync();

        Assert.False(build.Succeeded, build.ToString());
        var (line, column) = Locate(stack, "port = 80 ", "80");
        AssertOutputContains(build, $"{project.StackFile}({line},{column}): error BERTH0001: TOML syntax error:");
    }

    [Fact]
    public async Task MissingServiceProjectFailsTheBuildWithBerth0016()
    {
        const string stack = """
            [stack]
            name = "shop"

            [services.catalog]
            project = "../Missing/Missing.csproj"
            """;
        var project = fixture.CreateStackProject("MissingProject", stack);

        var build = await project.BuildAsync();

        // Only the task (loaded by MSBuild from the package) can tell the generator the file is missing.
        Assert.False(build.Succeeded, build.ToString());
        var (line, column) = Locate(stack, "project = ", "\"../Missing/Missing.csproj\"");
        var lookedFor = Path.Combine(fixture.Projects, "Missing", "Missing.csproj");
        AssertOutputContains(build, $"{project.StackFile}({line},{column}): error BERTH0016: Project '../Missing/Missing.csproj' of service 'catalog' does not exist (looked for {lookedFor})");
        Assert.Equal(string.Empty, project.ReadExistingFilesList());
    }

    [Fact]
    public async Task AnImageDirectoryThatExistsIsListedAndAMissingOneIsBerth0025()
    {
        const string stack = """
            [stack]
            name = "shop"

            [services.box]
            image = "rootfs/BusyBox"
            command = ["/bin/sh"]

            [services.gone]
            image = "./missing-rootfs"
            command = ["/bin/sh"]
            """;
        var project = fixture.CreateStackProject("ImageDirectories", stack);
        var rootfs = Path.Combine(Path.GetDirectoryName(project.StackFile)!, "rootfs", "BusyBox");
        Directory.CreateDirectory(rootfs);

        var build = await project.BuildAsync();

        // "rootfs/BusyBox" is no valid reference (capitals): only the task's listing makes it the directory it is.
        Assert.False(build.Succeeded, build.ToString());
        Assert.DoesNotContain("BERTH0004", build.Output, StringComparison.Ordinal);
        var (line, column) = Locate(stack, "image = ", "\"./missing-rootfs\"");
        var lookedFor = Path.Combine(Path.GetDirectoryName(project.StackFile)!, "missing-rootfs");
        AssertOutputContains(build, $"{project.StackFile}({line},{column}): error BERTH0025: Image directory './missing-rootfs' of service 'gone' does not exist (looked for {lookedFor})");
        Assert.Equal(rootfs + "\n", project.ReadExistingFilesList());
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static void AssertOutputContains(DotnetResult result, string expected) =>
        Assert.True(result.Output.Contains(expected, StringComparison.Ordinal), $"Expected the output to contain:{Environment.NewLine}{expected}{Environment.NewLine}{result}");

    /// <summary>One-based line and column of <paramref name="token"/> where it follows <paramref name="before"/>.</summary>
    private static (int Line, int Column) Locate(string text, string before, string token)
    {
        text = text.ReplaceLineEndings("\n");
        var index = text.IndexOf(before + token, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{before}{token}' is not in the stack");
        index += before.Length;
        var lineStart = text.LastIndexOf('\n', index) + 1;
        return (text.AsSpan(0, index).Count('\n') + 1, index - lineStart + 1);
    }

    private static JsonDocument ParseJson(DotnetResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"`config` did not print JSON: {e.Message}{Environment.NewLine}{result}", e);
        }
    }

    private static JsonElement Service(JsonElement stack, string name) =>
        Assert.Single(stack.GetProperty("services").EnumerateArray(), s => s.GetProperty("name").GetString() == name);

    private static string ReadText(ZipArchive package, string path)
    {
        using var reader = new StreamReader(package.GetEntry(path)!.Open());
        return reader.ReadToEnd();
    }

    private static (Version Version, IReadOnlyList<AssemblyName> References) ReadAssembly(ZipArchive package, string path)
    {
        using var bytes = new MemoryStream();
        using (var entry = package.GetEntry(path)!.Open())
        {
            entry.CopyTo(bytes);
        }

        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
        return (metadata.GetAssemblyDefinition().Version, references);
    }

    /// <summary>Loads from one folder first and leaves everything else to the host, recording what it left.</summary>
    private sealed class AnalyzerFolderLoadContext(string folder) : AssemblyLoadContext("berth-analyzer-probe", isCollectible: true)
    {
        public List<string> DeferredToHost { get; } = [];

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            if (File.Exists(path))
            {
                return LoadFromAssemblyPath(path);
            }

            DeferredToHost.Add(assemblyName.Name!);
            return null;
        }
    }
}
