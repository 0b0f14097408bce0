using Berth.Generator.Tests;
using Berth.Host;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;

namespace Berth.Export.Tests;

/// <summary>
/// The repository's reference stack.toml (every key, a shop of seven services), compiled by the generator and
/// exported for <c>prod</c> to both targets, as <c>export kubernetes -e prod --namespace shop --registry
/// registry.example.com/shop-team --tag 1.4.0</c> and <c>export compose -e prod -o deploy/compose.yaml</c> would, with one host variable set.
/// </summary>
public sealed class ReferenceExportFixture : IDisposable
{
    /// <summary>The host variables the export sees: prod's PUBLIC_URL needs SHOP_PUBLIC_URL.</summary>
    public static readonly IReadOnlyDictionary<string, string> HostVariables = new Dictionary<string, string>
    {
        ["SHOP_PUBLIC_URL"] = "https://shop.example.com",
    };

    private readonly ReferenceStackFixture _reference = new();

    public ReferenceExportFixture()
    {
        Prod = _reference.Resolve("prod");
        Options = new ExportOptions
        {
            Registry = "registry.example.com/shop-team",
            Tag = "1.4.0",
            Namespace = "shop",
            HostVariable = name => HostVariables.GetValueOrDefault(name),
        };
        Kubernetes = KubernetesExporter.Export(Prod, Options);
        ComposeFile = Path.Combine(Prod.SourceDirectory, "deploy", "compose.yaml");
        Compose = ComposeExporter.Export(Prod, ComposeFile, Options);
    }

    public StackDescriptor Descriptor => _reference.Descriptor;

    public StackDefinition Prod { get; }

    public ExportOptions Options { get; }

    public StackExport Kubernetes { get; }

    /// <summary>Where the Compose export is meant to be written: deploy/ of the repository root, where stack.toml is.</summary>
    public string ComposeFile { get; }

    public StackExport Compose { get; }

    /// <summary>The value of every secret file the stack names, in any environment: none may appear in an export.</summary>
    public IEnumerable<string> SecretFileValues =>
        _reference.Environments
            .SelectMany(e => _reference.Resolve(e).Secrets)
            .Where(s => s.SourceKind == SecretSourceKind.File)
            .Select(s => File.ReadAllText(Path.Combine(_reference.RootDirectory, s.Source)).Trim())
            .Distinct();

    public void Dispose() => _reference.Dispose();
}
