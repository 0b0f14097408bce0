using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;
using Berth.Runtime.Tests;

namespace Berth.Export.Tests;

/// <summary>
/// The exports of the reference stack and of the example shop, checked by the tools of their targets: the Compose
/// file by Debian's docker-compose (1.29, which validates against the Compose schema and needs no engine for
/// <c>config</c>), the manifests against the Kubernetes API's schemas, the gateway's configuration by nginx itself.
/// </summary>
public sealed class ExportValidationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-export-").FullName;

    private static ExportedStack Reference => ExportedStack.Reference;

    [RequiresToolTheory("docker-compose", "docker-compose")]
    [InlineData("reference")]
    [InlineData("shop")]
    public async Task ComposeFileIsValidForDockerCompose(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var file = Write(exported.Compose, "deploy");

        var result = await ValidateComposeAsync(file, exported);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [RequiresToolTheory("docker-compose", "docker-compose")]
    [InlineData("reference")]
    [InlineData("shop")]
    public async Task ComposeFilesOfTheOtherEnvironmentsAreValidToo(string stack)
    {
        // The reference's dev publishes ports and reads a secret from a file, its test runs a database on tmpfs and a
        // job from an image; the shop's dev reads its key from a file, its test resets the database in its job.
        var exported = ExportedStack.Named(stack);
        foreach (var environment in OtherEnvironments(exported))
        {
            var export = ComposeExporter.Export(exported.Descriptor.Resolve(environment), exported.ComposeFile, exported.Options);
            var file = Write(export, environment);

            var result = await ValidateComposeAsync(file, exported);

            Assert.True(result.ExitCode == 0, $"{environment}: {result}");
        }
    }

    [RequiresToolFact("docker-compose", "docker-compose")]
    public async Task DockerComposeRejectsAnInvalidFile()
    {
        // The check above means something only if docker-compose config does check: a key Compose does not know.
        var file = Write(Reference.Compose, "deploy");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\n    read_only: true\n", "\n    read_only: true\n    readonly: true\n", StringComparison.Ordinal));

        var result = await ValidateComposeAsync(file, Reference);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("readonly", result.Error, StringComparison.Ordinal);
    }

    [RequiresKubernetesValidatorTheory]
    [InlineData("reference", 32)]
    [InlineData("shop", 29)]
    public async Task KubernetesManifestsAreValidAgainstTheKubernetesSchemas(string stack, int objects)
    {
        Write(ExportedStack.Named(stack).Kubernetes, "k8s");
        var manifests = Directory.GetFiles(Path.Combine(_directory, "k8s"), "*.yaml");

        var result = await KubernetesValidator.ValidateAsync(manifests);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{objects} objects valid, 0 problems", result.Output, StringComparison.Ordinal);
    }

    [RequiresKubernetesValidatorTheory]
    [InlineData("reference")]
    [InlineData("shop")]
    public async Task KubernetesManifestsOfTheOtherEnvironmentsAreValidToo(string stack)
    {
        var exported = ExportedStack.Named(stack);
        foreach (var environment in OtherEnvironments(exported))
        {
            Write(KubernetesExporter.Export(exported.Descriptor.Resolve(environment), exported.Options), environment);

            var result = await KubernetesValidator.ValidateAsync(Directory.GetFiles(Path.Combine(_directory, environment), "*.yaml"));

            Assert.True(result.ExitCode == 0, $"{environment}: {result}");
        }
    }

    [RequiresKubernetesValidatorFact]
    public async Task TheKubernetesSchemaCheckRejectsAnInvalidManifest()
    {
        Write(Reference.Kubernetes, "k8s");
        var catalog = Path.Combine(_directory, "k8s", "catalog.yaml");
        File.WriteAllText(catalog, File.ReadAllText(catalog).Replace("  replicas: 4\n", "  replicas: four\n", StringComparison.Ordinal));

        var result = await KubernetesValidator.ValidateAsync([catalog]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("replicas must be integer", result.Error, StringComparison.Ordinal);
    }

    [RequiresToolTheory("kubectl", "kubectl")]
    [InlineData("reference", 32)]
    [InlineData("shop", 29)]
    public async Task KustomizeBuildsTheManifestsIntoTheNamespace(string stack, int objects)
    {
        // kubectl's kustomize needs no cluster: what `kubectl apply -k` would send, every object in the namespace.
        var exported = ExportedStack.Named(stack);
        Write(exported.Kubernetes, "k8s");

        var result = await ToolProcess.RunAsync(RequiredTool.Find("kubectl", "kubectl"), ["kustomize", Path.Combine(_directory, "k8s")], _directory);

        Assert.True(result.ExitCode == 0, result.ToString());
        var documents = result.Output.Split("\n---\n");
        Assert.Equal(objects, documents.Length);
        Assert.All(documents, d => Assert.Contains($"  namespace: {exported.Options.Namespace}", d.Split('\n')));
    }

    [RequiresToolTheory("nginx", "nginx")]
    [InlineData("reference")]
    [InlineData("shop")]
    public async Task GatewayConfigurationIsValidForNginx(string stack)
    {
        Write(ExportedStack.Named(stack).Compose, "deploy");
        var main = Path.Combine(_directory, "nginx.conf");
        File.WriteAllText(main, $$"""
            pid {{_directory}}/nginx.pid;
            error_log stderr;
            events {}
            http {
                access_log off;
                client_body_temp_path {{_directory}};
                include {{Path.Combine(_directory, "deploy", "compose.gateway.conf")}};
            }
            """);

        var result = await ToolProcess.RunAsync(RequiredTool.Find("nginx", "nginx"), ["-t", "-q", "-c", main, "-e", "stderr"], _directory);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes the export's files into a folder of the temporary directory; returns the first file's path.</summary>
    private string Write(StackExport export, string folder)
    {
        var directory = Path.Combine(_directory, folder);
        Directory.CreateDirectory(directory);
        foreach (var file in export.Files)
        {
            File.WriteAllText(Path.Combine(directory, file.Path), file.Content);
        }

        return Path.Combine(directory, export.Files[0].Path);
    }

    /// <summary>The environments besides prod, whose exports have no golden files.</summary>
    private static IEnumerable<string> OtherEnvironments(ExportedStack exported) =>
        exported.Descriptor.Environments.Select(e => e.Name).Where(e => e != exported.Prod.Environment);

    /// <summary>docker-compose config of an exported stack's file, with its host variables (the reference's prod requires one), from the stack's directory.</summary>
    private static Task<ToolProcess.Result> ValidateComposeAsync(string file, ExportedStack exported) =>
        ValidateComposeAsync(file, exported.Prod.SourceDirectory, exported.HostVariables);

    /// <summary>docker-compose config, from <paramref name="workingDirectory"/>, with <paramref name="variables"/> set.</summary>
    internal static Task<ToolProcess.Result> ValidateComposeAsync(string file, string workingDirectory, IReadOnlyDictionary<string, string>? variables = null) =>
        ToolProcess.RunAsync(
            RequiredTool.Find("docker-compose", "docker-compose"),
            ["--file", file, "config", "--quiet"],
            workingDirectory,
            variables?.ToDictionary(v => v.Key, string? (v) => v.Value));
}
