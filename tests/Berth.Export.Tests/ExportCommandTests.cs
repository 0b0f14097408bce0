using System.Reflection;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Runtime.Tests;

namespace Berth.Export.Tests;

/// <summary>
/// <c>export</c> as a stack project runs it: the built examples, <c>dotnet HelloStack.dll export ...</c> and
/// <c>dotnet Shop.dll export ...</c>, writing into a temporary directory; and its help, from the reference stack's
/// command line.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-export-command-").FullName;

    [Fact]
    public async Task KubernetesWritesTheManifestsAndSaysWhatToDoFirst()
    {
        var result = await RunHelloAsync("export", "kubernetes", "--environment", "prod", "-o", "deploy/k8s", "--registry", "registry.example.com", "--tag", "2.0.1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var directory = Path.Combine(_directory, "deploy", "k8s");
        Assert.Equal(
            ["README.md", "greeter.yaml", "ingress.yaml", "kustomization.yaml", "network-policy.yaml"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var greeter = File.ReadAllText(Path.Combine(directory, "greeter.yaml"));
        Assert.Contains("  replicas: 2\n", greeter, StringComparison.Ordinal);
        Assert.Contains("image: registry.example.com/hello/greeter:2.0.1\n", greeter, StringComparison.Ordinal);
        Assert.Contains("  Greeter__Greeting: Good day\n", greeter, StringComparison.Ordinal);
        Assert.Contains("Wrote 5 files to deploy/k8s", result.Output, StringComparison.Ordinal);
        Assert.Contains("dotnet publish ../Greeter/Greeter.csproj -c Release -t:PublishContainer -p:ContainerRepository=hello/greeter -p:ContainerImageTag=2.0.1 -p:ContainerRegistry=registry.example.com", result.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(directory, "README.md")), result.Output[(result.Output.IndexOf('#', StringComparison.Ordinal))..]);

        if (KubernetesValidator.IsInstalled || RequiredTool.IsCi)
        {
            var validation = await KubernetesValidator.ValidateAsync(Directory.GetFiles(directory, "*.yaml"));
            Assert.True(validation.ExitCode == 0, validation.ToString());
        }
    }

    [Fact]
    public async Task ComposeWritesTheFileAndTheGatewayNextToIt()
    {
        var result = await RunHelloAsync("export", "compose", "-e", "prod", "-o", "deploy/compose.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        var compose = Path.Combine(_directory, "deploy", "compose.yaml");
        Assert.Equal(["compose.gateway.conf", "compose.yaml"], Directory.GetFiles(Path.GetDirectoryName(compose)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var text = File.ReadAllText(compose);
        Assert.Contains("    image: hello/greeter:latest\n", text, StringComparison.Ordinal);
        Assert.Contains("      replicas: 2\n", text, StringComparison.Ordinal);
        Assert.Contains("    - 127.0.0.1:8080:8080\n", text, StringComparison.Ordinal);
        Assert.Contains("location / { set $service greeter:8080; proxy_pass http://$service; }", File.ReadAllText(Path.Combine(_directory, "deploy", "compose.gateway.conf")), StringComparison.Ordinal);

        if (RequiredTool.Locate("docker-compose") is not null || RequiredTool.IsCi)
        {
            var validation = await ExportValidationTests.ValidateComposeAsync(compose, _directory);
            Assert.True(validation.ExitCode == 0, validation.ToString());
        }
    }

    [Fact]
    public async Task TheShopsCommandsWriteWhatTheGoldenFilesHold()
    {
        // The user's commands, run by the built shop: its build's generated definition gives the same files as the
        // definition the tests compile from its stack.toml, for Kubernetes the golden files themselves.
        var shop = ExportedStack.Shop;

        var kubernetes = await RunExampleAsync("ShopAssembly", shop.HostVariables, "export", "kubernetes", "--environment", "prod", "-o", "k8s");
        var compose = await RunExampleAsync("ShopAssembly", shop.HostVariables, "export", "compose", "--environment", "prod", "-o", "deploy/compose.yaml");

        Assert.True(kubernetes.ExitCode == 0, kubernetes.ToString());
        GoldenFiles.AssertMatch("shop-prod-kubernetes", new StackExport(ReadFiles("k8s"), [], ""));
        Assert.True(compose.ExitCode == 0, compose.ToString());
        var expected = ComposeExporter.Export(shop.Prod, Path.Combine(_directory, "deploy", "compose.yaml"), shop.Options);
        Assert.Equal(expected.Files.OrderBy(f => f.Path, StringComparer.Ordinal), ReadFiles("deploy"));

        // What they print names the secret and its variable, never the value the host has.
        Assert.All(new[] { kubernetes, compose }, result =>
        {
            Assert.Contains("$SHOP_PAYMENTS_API_KEY", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(shop.HostVariables["SHOP_PAYMENTS_API_KEY"], result.Output + result.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task AnUnknownEnvironmentFailsAndWritesNothing()
    {
        var result = await RunHelloAsync("export", "compose", "-e", "staging", "-o", "compose.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Stack 'hello' has no environment 'staging'. Declared: dev, prod.", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task TheOutputIsRequired()
    {
        var result = await Run(["export", "kubernetes", "-e", "prod"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--output", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRequiredVariableFailsTheKubernetesExportWithBerthsMessage()
    {
        // prod's catalog needs SHOP_PUBLIC_URL (${SHOP_PUBLIC_URL:?...}); Kubernetes has no interpolation of its own.
        var result = await Run(["export", "kubernetes", "-e", "prod", "-o", Path.Combine(_directory, "k8s")], unset: "SHOP_PUBLIC_URL");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("variable SHOP_PUBLIC_URL is not set: set SHOP_PUBLIC_URL to the shop's public https address", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "k8s")));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export", "kubernetes")]
    [InlineData("export", "compose")]
    public async Task HelpExplainsEveryOption(params string[] command)
    {
        var result = await Run([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        if (command.Length == 1)
        {
            Assert.Contains("kubernetes", result.Output, StringComparison.Ordinal);
            Assert.Contains("compose", result.Output, StringComparison.Ordinal);
            return;
        }

        // Every option is there with its description.
        foreach (var (option, says) in new[]
        {
            ("--environment", "The environment to export (dev, test, prod)"),
            ("--output", command[1] == "kubernetes" ? "The directory to write the manifests into" : "The Compose file to write"),
            ("--registry", "The registry (and path) of the project services' images"),
            ("--tag", "The tag of the project services' images"),
        }.Concat(command[1] == "kubernetes" ? [("--namespace", "The namespace to deploy into")] : []))
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
            Assert.Contains(says, result.Output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The reference stack's command line, in this process.</summary>
    private async Task<ToolProcess.Result> Run(string[] args, string? unset = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var saved = unset is null ? null : Environment.GetEnvironmentVariable(unset);
        if (unset is not null)
        {
            Environment.SetEnvironmentVariable(unset, null);
        }

        try
        {
            var exitCode = await Berth.Host.StackCommandLine.RunAsync(ExportedStack.Reference.Descriptor, args, output, error);
            return new ToolProcess.Result(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            if (unset is not null)
            {
                Environment.SetEnvironmentVariable(unset, saved);
            }
        }
    }

    /// <summary>The built hello example, run from the temporary directory as `dotnet run` would run it there.</summary>
    private Task<ToolProcess.Result> RunHelloAsync(params string[] args) => RunExampleAsync("HelloStackAssembly", new Dictionary<string, string>(), args);

    /// <summary>A built example stack project, with <paramref name="variables"/> set, run from the temporary directory as `dotnet run` would run it there.</summary>
    private Task<ToolProcess.Result> RunExampleAsync(string assemblyKey, IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var assembly = typeof(ExportCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == assemblyKey).Value!;
        var environment = variables.ToDictionary(v => v.Key, string? (v) => v.Value);
        environment["DOTNET_ENVIRONMENT"] = null;
        return ToolProcess.RunAsync("dotnet", [assembly, .. args], _directory, environment);
    }

    /// <summary>The files written into a folder of the temporary directory, by name.</summary>
    private List<ExportedFile> ReadFiles(string folder) =>
        [.. Directory.GetFiles(Path.Combine(_directory, folder)).Order(StringComparer.Ordinal).Select(f => new ExportedFile(Path.GetFileName(f), File.ReadAllText(f)))];
}
