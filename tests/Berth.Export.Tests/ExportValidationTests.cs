using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;
using Berth.Runtime.Tests;

namespace Berth.Export.Tests;

/// <summary>
/// The exports of the reference stack in prod, checked by the tools of their targets: the Compose file by Debian's
/// docker-compose (1.29, which validates against the Compose schema and needs no engine for <c>config</c>), the
/// manifests against the Kubernetes API's schemas, the gateway's configuration by nginx itself.
/// </summary>
public sealed class ExportValidationTests(ReferenceExportFixture reference) : IClassFixture<ReferenceExportFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-export-").FullName;

    [RequiresToolFact("docker-compose", "docker-compose")]
    public async Task ComposeFileIsValidForDockerCompose()
    {
        var file = Write(reference.Compose, "deploy");

        var result = await ValidateComposeAsync(file, reference.Prod.SourceDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [RequiresToolFact("docker-compose", "docker-compose")]
    public async Task ComposeFilesOfTheOtherEnvironmentsAreValidToo()
    {
        // dev publishes ports and reads a secret from a file, test runs a database on tmpfs and a job from an image.
        foreach (var environment in new[] { "dev", "test" })
        {
            var export = ComposeExporter.Export(reference.Descriptor.Resolve(environment), reference.ComposeFile, reference.Options);
            var file = Write(export, environment);

            var result = await ValidateComposeAsync(file, reference.Prod.SourceDirectory);

            Assert.True(result.ExitCode == 0, $"{environment}: {result}");
        }
    }

    [RequiresToolFact("docker-compose", "docker-compose")]
    public async Task DockerComposeRejectsAnInvalidFile()
    {
        // The check above means something only if docker-compose config does check: a key Compose does not know.
        var file = Write(reference.Compose, "deploy");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\n    read_only: true\n", "\n    read_only: true\n    readonly: true\n", StringComparison.Ordinal));

        var result = await ValidateComposeAsync(file, reference.Prod.SourceDirectory);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("readonly", result.Error, StringComparison.Ordinal);
    }

    [RequiresKubernetesValidatorFact]
    public async Task KubernetesManifestsAreValidAgainstTheKubernetesSchemas()
    {
        Write(reference.Kubernetes, "k8s");
        var manifests = Directory.GetFiles(Path.Combine(_directory, "k8s"), "*.yaml");

        var result = await KubernetesValidator.ValidateAsync(manifests);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("32 objects valid, 0 problems", result.Output, StringComparison.Ordinal);
    }

    [RequiresKubernetesValidatorFact]
    public async Task KubernetesManifestsOfTheOtherEnvironmentsAreValidToo()
    {
        foreach (var environment in new[] { "dev", "test" })
        {
            Write(KubernetesExporter.Export(reference.Descriptor.Resolve(environment), reference.Options), environment);

            var result = await KubernetesValidator.ValidateAsync(Directory.GetFiles(Path.Combine(_directory, environment), "*.yaml"));

            Assert.True(result.ExitCode == 0, $"{environment}: {result}");
        }
    }

    [RequiresKubernetesValidatorFact]
    public async Task TheKubernetesSchemaCheckRejectsAnInvalidManifest()
    {
        Write(reference.Kubernetes, "k8s");
        var catalog = Path.Combine(_directory, "k8s", "catalog.yaml");
        File.WriteAllText(catalog, File.ReadAllText(catalog).Replace("  replicas: 4\n", "  replicas: four\n", StringComparison.Ordinal));

        var result = await KubernetesValidator.ValidateAsync([catalog]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("replicas must be integer", result.Error, StringComparison.Ordinal);
    }

    [RequiresToolFact("kubectl", "kubectl")]
    public async Task KustomizeBuildsTheManifestsIntoTheNamespace()
    {
        // kubectl's kustomize needs no cluster: what `kubectl apply -k` would send, every object in the namespace.
        Write(reference.Kubernetes, "k8s");

        var result = await ToolProcess.RunAsync(RequiredTool.Find("kubectl", "kubectl"), ["kustomize", Path.Combine(_directory, "k8s")], _directory);

        Assert.True(result.ExitCode == 0, result.ToString());
        var documents = result.Output.Split("\n---\n");
        Assert.Equal(32, documents.Length);
        Assert.All(documents, d => Assert.Contains("  namespace: shop", d.Split('\n')));
    }

    [RequiresToolFact("nginx", "nginx")]
    public async Task GatewayConfigurationIsValidForNginx()
    {
        Write(reference.Compose, "deploy");
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

    /// <summary>docker-compose config, with the variable prod's PUBLIC_URL requires, from the stack's directory.</summary>
    internal static Task<ToolProcess.Result> ValidateComposeAsync(string file, string workingDirectory) =>
        ToolProcess.RunAsync(
            RequiredTool.Find("docker-compose", "docker-compose"),
            ["--file", file, "config", "--quiet"],
            workingDirectory,
            new Dictionary<string, string?> { ["SHOP_PUBLIC_URL"] = "https://shop.example.com" });
}
